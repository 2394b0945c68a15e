// Real: delimiter reading over inline MSH, FHS and BHS headers.
// Faked: nothing.
import { readDelimiters } from './delimiters';

describe('readDelimiters', () => {
  it.each([
    {
      case: 'standard',
      header: 'MSH|^~\\&|APP',
      expected: {
        field: '|',
        component: '^',
        repetition: '~',
        escape: '\\',
        subcomponent: '&',
        truncation: undefined,
      },
    },
    {
      case: 'v2.7 truncation',
      header: 'MSH|^~\\&#|APP',
      expected: {
        field: '|',
        component: '^',
        repetition: '~',
        escape: '\\',
        subcomponent: '&',
        truncation: '#',
      },
    },
    {
      case: 'no escape or subcomponent',
      header: 'MSH|^~|APP',
      expected: {
        field: '|',
        component: '^',
        repetition: '~',
        escape: undefined,
        subcomponent: undefined,
        truncation: undefined,
      },
    },
    {
      case: 'no subcomponent',
      header: 'BHS|^~\\',
      expected: {
        field: '|',
        component: '^',
        repetition: '~',
        escape: '\\',
        subcomponent: undefined,
        truncation: undefined,
      },
    },
    {
      case: 'custom',
      header: 'FHS:-+?*:x',
      expected: {
        field: ':',
        component: '-',
        repetition: '+',
        escape: '?',
        subcomponent: '*',
        truncation: undefined,
      },
    },
  ])('reads $case delimiters', ({ header, expected }) => {
    expect(readDelimiters(header)).toEqual({ ok: true, delimiters: expected });
  });

  it.each([
    { case: 'no field separator', header: 'MSH', code: 'invalid-field-separator', field: 'MSH-1' },
    {
      case: 'letter as field separator',
      header: 'MSHX^~\\&X',
      code: 'invalid-field-separator',
      field: 'MSH-1',
    },
    {
      case: 'one encoding character',
      header: 'MSH|^|APP',
      code: 'invalid-encoding-characters',
      field: 'MSH-2',
    },
    {
      case: 'six encoding characters',
      header: 'MSH|^~\\&#!|APP',
      code: 'invalid-encoding-characters',
      field: 'MSH-2',
    },
    {
      case: 'repeated character',
      header: 'MSH|^^\\&|APP',
      code: 'invalid-encoding-characters',
      field: 'MSH-2',
    },
    {
      case: 'letter among them',
      header: 'BHS|^~A&|APP',
      code: 'invalid-encoding-characters',
      field: 'BHS-2',
    },
    {
      case: 'space among them',
      header: 'MSH|^~ &|APP',
      code: 'invalid-encoding-characters',
      field: 'MSH-2',
    },
  ])('rejects $case', ({ header, code, field }) => {
    expect(readDelimiters(header)).toMatchObject({ ok: false, code, field });
  });
});
