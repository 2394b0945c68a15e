'use strict';

const { PerformanceObserver, constants } = require('node:perf_hooks');

/**
 * Sums the pauses of V8's garbage collections from `start()` to `stop()`, as
 * Node.js reports them in `gc` performance entries, leaving out collections
 * forced with `global.gc()`.
 */
class GcTime {
  start() {
    this.totalMs = 0;
    this.observer = new PerformanceObserver((list) => this.add(list.getEntries()));
    this.observer.observe({ entryTypes: ['gc'] });
  }

  add(entries) {
    for (const entry of entries) {
      if ((entry.detail.flags & constants.NODE_PERFORMANCE_GC_FLAGS_FORCED) !== 0) continue;
      this.totalMs += entry.duration;
    }
  }

  /** Stops observing and returns the total pause in milliseconds. */
  stop() {
    // Entries are delivered asynchronously; takeRecords returns those not yet delivered.
    this.add(this.observer.takeRecords());
    this.observer.disconnect();
    return this.totalMs;
  }
}

module.exports = { GcTime };
