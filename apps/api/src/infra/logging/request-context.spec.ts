import { currentCorrelationId, runOutsideContext, runWithContext } from './request-context';

describe('request context', () => {
  it('runOutsideContext drops the request id, also after an await, and leaves the caller in it', async () => {
    await runWithContext({ correlationId: 'request-1' }, async () => {
      const outside = await runOutsideContext(async () => {
        const before = currentCorrelationId();
        await new Promise((resolve) => setTimeout(resolve, 1));
        return [before, currentCorrelationId()];
      });
      expect(outside.every((id) => id.startsWith('process-'))).toBe(true);
      expect(currentCorrelationId()).toBe('request-1');
    });
  });
});
