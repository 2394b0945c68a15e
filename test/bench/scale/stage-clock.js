'use strict';

const { performance } = require('node:perf_hooks');

/**
 * Splits a pipeline run's wall time into stages by the runner's own signals: the `file.land`
 * audit event, and the info log lines `file decoded`, `table committed`, `transform ran` and
 * `current table rebuilt`. Each interval between two signals counts for the stage the later
 * signal ends, so every millisecond of the run is counted once. Log lines carry table names
 * and counts only.
 */
class StageClock {
  constructor() {
    this.restart();
  }

  /** Starts the clock again with no stages counted. */
  restart() {
    this.startedAt = performance.now();
    this.lastAt = this.startedAt;
    this.lastSignal = 'start';
    this.stages = new Map();
    this.counts = new Map();
    this.firstMs = new Map();
    this.lastMs = new Map();
  }

  /** Ends the current interval and counts it for `stage`. */
  mark(stage, signal = stage) {
    const now = performance.now();
    const ms = now - this.lastAt;
    this.stages.set(stage, (this.stages.get(stage) ?? 0) + ms);
    this.counts.set(stage, (this.counts.get(stage) ?? 0) + 1);
    if (!this.firstMs.has(stage)) this.firstMs.set(stage, ms);
    this.lastMs.set(stage, ms);
    this.lastAt = now;
    this.lastSignal = signal;
  }

  /** Counts one pino JSON line of the runner. */
  onLogLine(line) {
    const entry = JSON.parse(line);
    switch (entry.msg) {
      case 'file decoded':
        this.mark('decode, map and validate');
        break;
      case 'transform ran':
        this.mark(`transform ${entry.transform}`, 'transform');
        break;
      case 'table committed':
        this.mark(
          this.lastSignal === 'transform'
            ? `write ${entry.table} (transform rows)`
            : `write ${entry.table}`,
          'commit',
        );
        break;
      case 'current table rebuilt':
        this.mark(`_current refresh ${entry.table}`);
        break;
      default:
        break;
    }
  }

  /**
   * Returns a destination for `createLogger({ destination })`. pino calls its `write` with whole
   * lines during the log call, so each signal is timed when the runner logs it.
   */
  logDestination() {
    return {
      write: (text) => {
        for (const line of text.split('\n')) if (line !== '') this.onLogLine(line);
      },
    };
  }

  /**
   * Returns `[stage, ms, signals, firstMs, lastMs]` in order of first appearance, where the last
   * two are the first and the last interval counted, such as the first and the last batch.
   */
  list() {
    return [...this.stages].map(([stage, ms]) => [
      stage,
      ms,
      this.counts.get(stage),
      this.firstMs.get(stage),
      this.lastMs.get(stage),
    ]);
  }
}

module.exports = { StageClock };
