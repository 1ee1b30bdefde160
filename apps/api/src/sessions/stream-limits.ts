import { HttpException, HttpStatus } from '@nestjs/common';
import type { Principal } from '../auth/principal';

/**
 * Concurrent SSE streams, per principal and in total. `acquire` answers 429 beyond either cap and
 * otherwise returns the release function (call it exactly once, when the stream ends).
 */
export class StreamLimits {
  private total = 0;
  private readonly byPrincipal = new Map<string, number>();

  constructor(
    private readonly perPrincipal: number,
    private readonly maxTotal: number,
  ) {}

  get open(): number {
    return this.total;
  }

  acquire(principal: Principal): () => void {
    const mine = this.byPrincipal.get(principal.name) ?? 0;
    if (mine >= this.perPrincipal)
      throw new HttpException(
        `${principal.name} already follows ${mine} stream(s), the most one principal may; close one first`,
        HttpStatus.TOO_MANY_REQUESTS,
      );
    if (this.total >= this.maxTotal)
      throw new HttpException(`the API already serves ${this.total} streams, its limit; try again later`, HttpStatus.TOO_MANY_REQUESTS);
    this.total += 1;
    this.byPrincipal.set(principal.name, mine + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total -= 1;
      const left = (this.byPrincipal.get(principal.name) ?? 1) - 1;
      if (left > 0) this.byPrincipal.set(principal.name, left);
      else this.byPrincipal.delete(principal.name);
    };
  }
}
