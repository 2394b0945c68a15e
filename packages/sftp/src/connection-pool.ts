import type { SftpConnection } from './connection';
import { SftpError, type SftpErrorTarget } from './errors';

/**
 * Up to `maxConnections` SFTP connections, each lent to one operation at a time. A connection
 * that drops is closed when it comes back, and the next operation opens a fresh one, so a
 * retry after a dropped connection reconnects.
 */
export class ConnectionPool {
  private readonly idle: SftpConnection[] = [];
  private readonly waiters: Array<() => void> = [];
  /** Connections open, lent out or being opened. */
  private count = 0;
  private closed = false;

  constructor(
    private readonly openConnection: () => Promise<SftpConnection>,
    private readonly maxConnections: number,
    private readonly target: SftpErrorTarget,
  ) {}

  /** Add a connection opened elsewhere, such as the first one that checked the credentials. */
  adopt(connection: SftpConnection): void {
    this.count++;
    this.release(connection);
  }

  /** Run `operation` with a connection of its own, opening one when none is idle and the limit allows. */
  async use<T>(operation: (connection: SftpConnection) => Promise<T>): Promise<T> {
    const connection = await this.acquire();
    try {
      return await operation(connection);
    } finally {
      this.release(connection);
    }
  }

  /** Close idle connections now and lent ones when they come back. */
  async close(): Promise<void> {
    this.closed = true;
    const idle = this.idle.splice(0);
    this.count -= idle.length;
    for (const wake of this.waiters.splice(0)) wake();
    await Promise.all(idle.map((connection) => connection.close()));
  }

  private async acquire(): Promise<SftpConnection> {
    for (;;) {
      if (this.closed) {
        throw new SftpError(
          `the SFTP source for ${this.target.host}:${this.target.port} is closed`,
          this.target,
        );
      }
      const idle = this.idle.pop();
      if (idle && idle.lost) {
        this.discard(idle);
        continue;
      }
      if (idle) return idle;
      if (this.count < this.maxConnections) return this.openCounted();
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  private async openCounted(): Promise<SftpConnection> {
    this.count++;
    try {
      return await this.openConnection();
    } catch (error) {
      this.count--;
      this.wakeOne();
      throw error;
    }
  }

  private release(connection: SftpConnection): void {
    if (this.closed || connection.lost) {
      this.discard(connection);
      return;
    }
    this.idle.push(connection);
    this.wakeOne();
  }

  private discard(connection: SftpConnection): void {
    this.count--;
    void connection.close();
    this.wakeOne();
  }

  private wakeOne(): void {
    this.waiters.shift()?.();
  }
}
