import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { postgresDialect } from '../../src/store/dialects/postgres.js';
import { sqliteDialect } from '../../src/store/dialects/sqlite.js';
import {
  planViewColumns,
  toSqlName,
  VIEW_METADATA_COLUMNS,
  viewColumnExpressions,
  viewColumnKind,
} from '../../src/store/view-columns.js';

describe(toSqlName, () => {
  it.each([
    ['Status', 'status'],
    ['Due Date', 'due_date'],
    ['dueDate', 'due_date'],
    ['Prix (€)', 'prix'],
    ['Café crème', 'cafe_creme'],
    ['2024 Budget', 'p_2024_budget'],
    ['Order', 'order_'],
    ['select', 'select_'],
    ['  ', 'property'],
    ['名前', 'property'],
  ])('%s → %s', (name, expected) => {
    expect(toSqlName(name)).toBe(expected);
  });

  it('always yields a plain lower-case identifier within the length limit', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.integer({ min: 8, max: 63 }), (name, max) => {
        const out = toSqlName(name, max);
        expect(out).toMatch(/^[a-z_][a-z0-9_]*$/);
        expect(out.length).toBeLessThanOrEqual(max);
      }),
    );
  });

  it('respects the identifier length limit', () => {
    expect(toSqlName('x'.repeat(100))).toHaveLength(63);
  });
});

describe(viewColumnKind, () => {
  it('maps property types to column kinds', () => {
    expect(['title', 'rich_text'].map(viewColumnKind)).toEqual(['rich_text', 'rich_text']);
    expect(['select', 'status', 'url'].map(viewColumnKind)).toEqual(Array(3).fill('text'));
    expect(viewColumnKind('number')).toBe('number');
    expect(viewColumnKind('checkbox')).toBe('boolean');
    expect(viewColumnKind('date')).toBe('date');
    expect(['multi_select', 'relation', 'people', 'formula', 'rollup'].map(viewColumnKind)).toEqual(
      Array(5).fill('json'),
    );
  });
});

describe(planViewColumns, () => {
  const schema = {
    Title: { id: 'title', name: 'Title', type: 'title' },
    Name: { id: 'n1', name: 'Name', type: 'rich_text' },
    name: { id: 'n2', name: 'name', type: 'rich_text' },
    'Page ID': { id: 'pid', name: 'Page ID', type: 'rich_text' },
    When: { id: 'w', name: 'When', type: 'date' },
    'When start': { id: 'ws', name: 'When start', type: 'rich_text' },
  };

  it('deduplicates, avoids metadata columns, and serves a title property named "Title" by `title`', () => {
    const { columns, columnMap } = planViewColumns(schema);
    expect(columns.map((c) => c.columns)).toEqual([
      ['name'],
      ['page_id_2'],
      ['when_start', 'when_end'],
      ['when_start_2'],
      ['name_2'],
    ]);
    expect(columnMap).toEqual({ n1: 'name', n2: 'name_2', pid: 'page_id_2', w: 'when', ws: 'when_start_2' });
  });

  it('never plans two columns with the same name, whatever the property names', () => {
    const types = ['title', 'rich_text', 'number', 'checkbox', 'date', 'multi_select', 'status', 'formula'];
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(fc.string({ maxLength: 12 }), fc.constantFrom(...types)), {
          maxLength: 20,
          selector: ([name]) => name,
        }),
        (props) => {
          const schema = Object.fromEntries(
            props.map(([name, type], i) => [name, { id: `id${i}`, name, type }]),
          );
          const planned = planViewColumns(schema, {}, 20).columns.flatMap((c) => c.columns);
          const names = [...VIEW_METADATA_COLUMNS, ...planned];
          expect(new Set(names).size).toBe(names.length);
          for (const n of planned) expect(n.length).toBeLessThanOrEqual(20);
        },
      ),
    );
  });

  it('keeps mapped names across renames and gives new properties fresh ones', () => {
    const { columnMap } = planViewColumns(schema);
    const renamed = { ...schema, Name: { id: 'n1', name: 'Full name', type: 'rich_text' } };
    const again = planViewColumns(
      { ...renamed, Extra: { id: 'x', name: 'name', type: 'number' } },
      columnMap,
    );
    expect(again.columnMap['n1']).toBe('name');
    expect(again.columnMap['x']).toBe('name_3');
  });
});

describe(viewColumnExpressions, () => {
  const column = {
    propertyId: 'q',
    propertyName: `It's "quoted"`,
    propertyType: 'number',
    kind: 'number' as const,
    baseName: 'it_s_quoted',
    columns: ['it_s_quoted'],
  };
  it('escapes property names for SQL literals and JSON paths', () => {
    expect(viewColumnExpressions(column, sqliteDialect)).toEqual([
      `json_extract(p.properties, '$."It''s \\"quoted\\""')`,
    ]);
    expect(viewColumnExpressions(column, postgresDialect)).toEqual([
      `(p.properties ->> 'It''s "quoted"')::double precision`,
    ]);
  });
});
