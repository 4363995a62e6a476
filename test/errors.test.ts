import { describe, expect, it } from 'vitest';
import { InvalidIdError, isNotionSyncError, redactSecrets, registerSecret } from '../src/errors.js';

describe(redactSecrets, () => {
  it('removes registered secrets and token-shaped strings', () => {
    registerSecret('my-very-secret-value-123');
    expect(redactSecrets('token my-very-secret-value-123 leaked')).toBe('token [REDACTED] leaked');
    expect(redactSecrets('auth ntn_abcdefghijklmnopqrstuvwxyz0123 here')).toBe('auth [REDACTED] here');
    expect(redactSecrets('secret_abcdefghijklmnopqrstuvwxyz0123')).toBe('[REDACTED]');
    expect(redactSecrets('Authorization: Bearer abc.def')).toBe('Authorization: Bearer [REDACTED]');
  });

  it('keeps errors free of secrets', () => {
    registerSecret('another-secret-value-456');
    const e = new InvalidIdError('bad id another-secret-value-456', { hint: 'use another-secret-value-456' });
    expect(isNotionSyncError(e)).toBe(true);
    expect(e.code).toBe('invalid_id');
    expect(JSON.stringify(e.toJSON())).not.toContain('another-secret-value-456');
  });
});
