// Real: the parser over inline synthetic messages as ASCII bytes with several MSH-18 values.
// Faked: nothing.
import { Buffer } from 'node:buffer';
import { parseHl7Message } from './parse-file';

/** Build an ADT^A01 whose MSH-18 is `msh18` and whose PID-5 is `familyName`, as written. */
function message(msh18: string, familyName: string): string {
  return (
    `MSH|^~\\&|APP|FAC|||20240102||ADT^A01|CTRL-9|P|2.5||||||${msh18}\r` +
    `EVN|A01\rPID|1||MRN-1^^^FAC||${familyName}^ANA\rPV1|1|O\r`
  );
}

describe('decoding ASCII bytes', () => {
  it.each([
    { case: 'no MSH-18', msh18: '', charset: 'utf-8' },
    { case: 'ASCII', msh18: 'ASCII', charset: 'utf-8' },
    { case: 'UNICODE UTF-8', msh18: 'UNICODE UTF-8', charset: 'utf-8' },
    { case: '8859/1', msh18: '8859/1', charset: 'iso-8859-1' },
    { case: '8859/7', msh18: '8859/7', charset: 'iso-8859-7' },
    { case: 'cp1252', msh18: 'cp1252', charset: 'windows-1252' },
    { case: 'BIG-5', msh18: 'BIG-5', charset: 'big5' },
    { case: 'KS X 1001', msh18: 'KS X 1001', charset: 'euc-kr' },
  ])('reads $case bytes as they are', ({ msh18, charset }) => {
    const text = message(msh18, 'DOE \\T\\ SONS');
    const { message: parsed, warnings } = parseHl7Message(Buffer.from(text, 'latin1'));

    expect(parsed.charset).toBe(charset);
    expect(parsed.text).toBe(text.slice(0, -1));
    expect(parsed.get('PID-5.1')).toBe('DOE & SONS');
    expect(warnings).toEqual([]);
  });

  it('decodes ISO IR87 escape sequences, which are ASCII bytes', () => {
    // ESC $ B switches to JIS X 0208, where `;3` is 山 and `ED` is 田; ESC ( B switches back.
    const text = message('ISO IR87', '\x1b$B;3ED\x1b(B');
    const { message: parsed } = parseHl7Message(Buffer.from(text, 'latin1'));

    expect(parsed.charset).toBe('iso-2022-jp');
    expect(parsed.get('PID-5.1')).toBe('山田');
  });
});
