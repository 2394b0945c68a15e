'use strict';

const { performance } = require('node:perf_hooks');

/**
 * Records the process's memory when the resources read first reach each
 * fraction of the input. Each mark first runs a full garbage collection, so
 * that it shows the memory the run retains rather than garbage not yet
 * collected, and so the process needs --expose-gc. A mark has the RSS and V8
 * heap after that collection, and the peak RSS so far
 * (`resourceUsage().maxRSS`, which is in kilobytes, converted to bytes).
 */
class MemoryMarks {
  constructor(totalResources, fractions) {
    if (typeof global.gc !== 'function') {
      throw new Error('MemoryMarks needs global.gc; start the process with --expose-gc');
    }
    this.pending = fractions.map((fraction) => ({
      fraction,
      resources: Math.ceil(totalResources * fraction),
    }));
    this.marks = [];
  }

  /**
   * Takes the marks that `resourcesRead` reaches, each with the `details`
   * given, and returns the milliseconds spent, which the caller leaves out
   * of its timings.
   */
  update(resourcesRead, details = {}) {
    if (this.pending.length === 0 || resourcesRead < this.pending[0].resources) return 0;
    const startedAt = performance.now();
    const peakRssBytes = process.resourceUsage().maxRSS * 1024;
    global.gc();
    const usage = process.memoryUsage();
    while (this.pending.length > 0 && resourcesRead >= this.pending[0].resources) {
      const { fraction } = this.pending.shift();
      this.marks.push({
        fraction,
        resourcesRead,
        rssBytes: usage.rss,
        heapUsedBytes: usage.heapUsed,
        heapTotalBytes: usage.heapTotal,
        externalBytes: usage.external,
        peakRssBytes,
        ...details,
      });
    }
    return performance.now() - startedAt;
  }
}

module.exports = { MemoryMarks };
