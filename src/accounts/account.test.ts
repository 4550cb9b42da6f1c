import { describe, expect, it } from 'vitest';
import { accountProblems, normalizeEmail, passwordProblem } from './account.js';

describe('account rules', () => {
  it('stores emails trimmed and lower-cased', () => {
    expect(normalizeEmail('  Ada.Lovelace@Example.COM ')).toBe('ada.lovelace@example.com');
  });

  it('asks passwords for 10 to 1000 characters, counted as people see them, and nothing else', () => {
    expect(passwordProblem('123456789')).toBe('at least 10 characters');
    expect(passwordProblem('1234567890')).toBeUndefined();
    // No composition rules: ten lower-case letters will do.
    expect(passwordProblem('abcdefghij')).toBeUndefined();
    // Nine emoji are 18 UTF-16 units but nine characters.
    expect(passwordProblem('🔑'.repeat(9))).toBe('at least 10 characters');
    expect(passwordProblem('x'.repeat(1000))).toBeUndefined();
    expect(passwordProblem('x'.repeat(1001))).toBe('at most 1000 characters');
    expect(passwordProblem(' '.repeat(12))).toBe('not only spaces');
    expect(passwordProblem(undefined)).toBe('a password is required');
  });

  it('lists the problems of a new account by field', () => {
    expect(
      accountProblems({ email: 'ada@example.com', name: 'Ada', role: 'author', password: 'long enough!' }),
    ).toEqual([]);
    expect(accountProblems({ email: 'not an email', name: '  ', role: 'owner', password: 'short' })).toEqual([
      { field: 'email', problem: 'not an email address' },
      { field: 'name', problem: 'a name is required' },
      { field: 'role', problem: 'one of admin, editor, author, contributor' },
      { field: 'password', problem: 'at least 10 characters' },
    ]);
    expect(accountProblems({ email: `${'a'.repeat(250)}@b.cd` })).toEqual([
      { field: 'email', problem: 'at most 254 characters' },
    ]);
    // Only the fields given are checked.
    expect(accountProblems({ name: 'Ada' })).toEqual([]);
  });
});
