import { TestBed } from '@angular/core/testing';
import { TranslocoService } from '@jsverse/transloco';
import { provideTranslocoTesting } from '../../../../testing/i18n';
import {
  contactsReport,
  funnelReport,
  LEGAL_AID_ID,
  needsReport,
  outcomeChangeReport,
  referralsReport,
  timeToOutcomeReport,
} from '../../../../testing/reports';
import type { CsvContext } from './report-csv';
import { csvCell, csvText, reportCsv, reportRows } from './report-csv';
import type { TimeColumns } from './report-filters';

describe('report CSV', () => {
  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideTranslocoTesting()] });
  });

  /** What the page passes: Transloco in `language`, and the columns on screen. */
  function context(language: string, columns: TimeColumns = 'quarter'): CsvContext {
    const transloco = TestBed.inject(TranslocoService);
    return {
      translate: (key, params) => transloco.translate(key, params, language),
      language,
      columns,
    };
  }

  /** The rows from a caption to the blank line after its table. */
  function table(rows: string[][], caption: string): string[][] {
    const start = rows.findIndex((row) => row[0] === caption);
    if (start === -1) throw new Error(`no table ${caption}`);
    const end = rows.findIndex((row, i) => i > start && row.length === 0);
    return rows.slice(start, end);
  }

  it('starts with what the report is: period, tier, k, rounding, filter and when it was fixed', () => {
    const rows = reportRows(
      'needs',
      needsReport({ filter: { attribute: 'language', value: 'thai' } }),
      context('en'),
    );
    expect(rows.slice(0, 11)).toEqual([
      ['Needs identified'],
      ['Period', '2026 so far: January to June'],
      ['Tier', 'Internal'],
      ['Smallest number published (k)', '5'],
      ['Rounding', 'Exact counts'],
      ['Filter', 'Language: Thai'],
      [
        'Figures fixed',
        'Figures for a quarter are fixed when it is first published after it ends; records ' +
          'entered later count in the quarter they are entered.',
      ],
      ['Published', 'Q1 2026', 'Apr 1, 2026, 9:30 AM'],
      ['Published', 'Q2 2026', 'Jul 2, 2026, 2:05 PM'],
      [
        'n/p',
        'Not published: fewer than 5 people, or hidden so that a small number cannot be ' +
          'worked out from the figures around it.',
      ],
      [],
    ]);
  });

  it('holds the tables on screen, by quarter, with "n/p" where a figure is not published', () => {
    const rows = reportRows('needs', needsReport(), context('en', 'quarter'));
    expect(table(rows, 'Needs by category and quarter')).toEqual([
      ['Needs by category and quarter'],
      ['Category', 'Q1 2026', 'Q2 2026', 'Total'],
      ['Legal', '24', '21', '45'],
      ['Housing', '0', '0', '0'],
      ['Health', '14', 'n/p', 'n/p'],
      ['Total', '38', 'n/p', 'n/p'],
    ]);
    expect(table(rows, 'Needs by category and status when published')[4]).toEqual([
      'Health',
      'n/p',
      '9',
      'n/p',
    ]);
    expect(rows.some((row) => row[0] === 'Needs by category and month')).toBe(false);
  });

  it('holds the months instead when the person chose months', () => {
    const rows = reportRows('funnel', funnelReport(), context('en', 'month'));
    expect(table(rows, 'Stages by month').slice(0, 3)).toEqual([
      ['Stages by month'],
      ['Stage', 'Jan 2026', 'Feb 2026', 'Mar 2026', 'Apr 2026', 'May 2026', 'Jun 2026', 'Total'],
      ['Needs identified', '20', '25', '30', '10', '10', '10', '105'],
    ]);
    // Stages are not parts of a whole: no total row, as on screen.
    expect(table(rows, 'Stages by month')).toHaveLength(6);
    expect(rows.some((row) => row[0] === 'Stages by quarter')).toBe(false);
  });

  it("writes every label in the person's language (Thai)", () => {
    const rows = reportRows(
      'needs',
      needsReport({ filter: { attribute: 'language', value: 'thai' } }),
      context('th', 'quarter'),
    );
    expect(rows[0]).toEqual(['ความต้องการที่พบ']);
    expect(rows[1]).toEqual(['ช่วงเวลา', 'ปี 2569 จนถึงตอนนี้: มกราคม ถึง มิถุนายน']);
    expect(rows[5]).toEqual(['ตัวกรอง', 'ภาษา: ภาษาไทย']);
    expect(rows[7]).toEqual(['เผยแพร่เมื่อ', 'ไตรมาส 1/2569', '1 เม.ย. 2569 09:30']);
    expect(table(rows, 'ความต้องการตามประเภทและไตรมาส')).toEqual([
      ['ความต้องการตามประเภทและไตรมาส'],
      ['ประเภท', 'ไตรมาส 1/2569', 'ไตรมาส 2/2569', 'รวม'],
      ['กฎหมาย', '24', '21', '45'],
      ['ที่พักอาศัย', '0', '0', '0'],
      ['สุขภาพ', '14', 'ไม่เผยแพร่', 'ไม่เผยแพร่'],
      ['รวม', '38', 'ไม่เผยแพร่', 'ไม่เผยแพร่'],
    ]);
    const months = reportRows('needs', needsReport(), context('th', 'month'));
    expect(table(months, 'ความต้องการตามประเภทและเดือน')[1]!.slice(0, 3)).toEqual([
      'ประเภท',
      'ม.ค. 2569',
      'ก.พ. 2569',
    ]);
  });

  it('names statuses, partners, channels and circumstances in the language too', () => {
    const referrals = reportRows('referrals', referralsReport(), context('zh-Hans'));
    const byStatus = table(referrals, '按合作机构和公布时状态的转介');
    expect(byStatus[1]).toEqual(['合作机构', '已发送', '已接受', '已完成', '合计']);
    expect(byStatus[2]![0]).toBe('Safe House');
    expect(table(referrals, '按合作机构和季度的转介')[1]).toEqual([
      '合作机构',
      '2026年第1季度',
      '2026年第2季度',
      '合计',
    ]);
    // Rates: a percentage, or the marker.
    const rates = referrals.filter((row) => row[0] === 'Legal Aid Centre' && row.length === 3);
    expect(rates).toEqual([['Legal Aid Centre', '未公布', '未公布']]);
    expect(referrals).toContainEqual(['Safe House', '80%', '37.5%']);

    const contacts = reportRows('contacts', contactsReport(), context('ko'));
    expect(contacts.some((row) => row[0] === '전화' && row.includes('비공개'))).toBe(true);
    expect(contacts.some((row) => row[1] === '비공개' && row.length === 2)).toBe(true);
  });

  it('says "< k closed" for time to outcome, where that is the reason', () => {
    const rows = reportRows('time-to-outcome', timeToOutcomeReport(), context('en'));
    expect(rows[1]).toEqual(['Period', 'April to June 2026 (Q2)']);
    expect(rows).toContainEqual([
      '< 5 closed',
      'Times are shown only for groups with at least 5 closed referrals.',
    ]);
    expect(table(rows, 'Days to outcome by need category')).toEqual([
      ['Days to outcome by need category'],
      ['Category', 'First quartile (days)', 'Median (days)', 'Third quartile (days)'],
      ['Legal', '3', '7.5', '14'],
      ['Housing', '< 5 closed', '< 5 closed', '< 5 closed'],
    ]);
    expect(table(rows, 'Days to outcome by partner')[3]![0]).toBe('Legal Aid Centre');
  });

  it('says when the external tier rounds, and what its k is', () => {
    const rows = reportRows(
      'contacts',
      contactsReport({ tier: 'external', k: 11, roundedTo: 5 }),
      context('en'),
    );
    expect(rows.slice(2, 5)).toEqual([
      ['Tier', 'External'],
      ['Smallest number published (k)', '11'],
      ['Rounding', 'Counts are rounded to the nearest 5.'],
    ]);
    expect(rows[9]![1]).toContain('fewer than 11 people');
  });

  it('never lets a spreadsheet run a cell as a formula', () => {
    for (const start of ['=', '+', '-', '@', '\t']) {
      expect(csvCell(`${start}SUM(A1:A9)`)).toBe(`'${start}SUM(A1:A9)`);
    }
    // Quoted as well, for the line break.
    expect(csvCell('\rSUM(A1:A9)')).toBe(`"'\rSUM(A1:A9)"`);
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('Safe House')).toBe('Safe House');
    expect(csvCell('A, "B"')).toBe('"A, ""B"""');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    // A partner named like a formula, in a real report.
    const report = referralsReport();
    const hostile = {
      ...report,
      meta: { ...report.meta, partners: { ...report.meta.partners, [LEGAL_AID_ID]: '=cmd|x' } },
    };
    const csv = reportCsv('referrals', hostile, context('en'));
    expect(csv).toContain("\r\n'=cmd|x,");
    expect(csv).not.toMatch(/(^|[\r\n,])=cmd/);
    expect(csv).toContain(`\r\nSafe House,`);
  });

  it('is UTF-8 text with a byte order mark and CRLF line ends', () => {
    expect(csvText([['a', 'b'], [], ['c']])).toBe('\uFEFFa,b\r\n\r\nc\r\n');
    const csv = reportCsv('needs', needsReport(), context('vi'));
    expect(csv.startsWith('\uFEFFNhu cầu được ghi nhận\r\n')).toBe(true);
    expect(csv.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const bytes = new TextEncoder().encode(csv);
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('writes change per area of life as on screen: areas × better / same / worse, shares, n/p', () => {
    const rows = reportRows('outcome-change', outcomeChangeReport(), context('en'));
    expect(rows[0]).toEqual(['Change per area of life']);
    expect(table(rows, 'Follow-up ratings: better, same or worse')).toEqual([
      ['Follow-up ratings: better, same or worse'],
      ['Area of life', 'Better', 'Same', 'Worse', 'Total'],
      ['Safety', '12', '9', '6', '27'],
      ['Legal and migration status', 'n/p', 'n/p', '0', 'n/p'],
      ['Housing', '7', 'n/p', 'n/p', '21'],
    ]);
    expect(table(rows, 'Share better and worse').slice(0, 4)).toEqual([
      ['Share better and worse'],
      ['Area of life', 'Better', 'Worse'],
      ['Safety', '44.4%', '22.2%'],
      ['Legal and migration status', 'n/p', 'n/p'],
    ]);
    // In Thai, every label is Thai.
    const thai = reportRows('outcome-change', outcomeChangeReport(), context('th'));
    expect(thai[0]).toEqual(['การเปลี่ยนแปลงในแต่ละด้านของชีวิต']);
  });
});
