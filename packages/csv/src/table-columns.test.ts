// Real: csvTableColumns on a parsed schema; nothing is faked.
import { ConfigError } from '@carelake/core';
import { csvTableColumns } from './table-columns';

describe('csvTableColumns', () => {
  it('maps every column type to its lake type, in schema order', () => {
    const columns = csvTableColumns({
      columns: [
        { name: 'member_id', header: 'Member ID', type: 'string', required: true },
        { name: 'visit_count', type: 'integer' },
        { name: 'bmi', type: 'decimal' },
        { name: 'paid_amount', type: 'decimal', precision: 12, scale: 2 },
        { name: 'units', type: 'decimal', precision: 5 },
        { name: 'active', type: 'boolean' },
        { name: 'birth_date', type: 'date', required: true },
        { name: 'updated_at', type: 'timestamp' },
      ],
    });

    expect(columns).toEqual([
      { name: 'member_id', sqlType: 'VARCHAR', nullable: false },
      { name: 'visit_count', sqlType: 'BIGINT', nullable: true },
      { name: 'bmi', sqlType: 'DOUBLE', nullable: true },
      { name: 'paid_amount', sqlType: 'DECIMAL(12,2)', nullable: true },
      { name: 'units', sqlType: 'DECIMAL(5,0)', nullable: true },
      { name: 'active', sqlType: 'BOOLEAN', nullable: true },
      { name: 'birth_date', sqlType: 'DATE', nullable: false },
      { name: 'updated_at', sqlType: 'TIMESTAMP', nullable: true },
    ]);
  });

  it('rejects an invalid schema', () => {
    expect(() => csvTableColumns({ columns: [{ name: 'Member', type: 'string' }] })).toThrow(ConfigError);
  });
});
