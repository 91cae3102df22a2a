import { readFileSync } from "node:fs";

type Cell = string;
type NumberStats = {
  type: "number";
  count: number;
  mean: number;
  median: number;
  stdev: number;
  min: number;
  max: number;
  q1: number;
  q3: number;
};
type TextStats = { type: "text"; count: number; distinct: number; top: string | null };
type ColumnStats = NumberStats | TextStats;

export function parseCsv(text: string): Cell[][] {
  const rows: Cell[][] = [];
  let row: Cell[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else {
      cell += c;
    }
  }
  if (cell !== "" || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows.filter((r) => r.some((x) => x.trim() !== ""));
}

function quantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

function columnStats(values: Cell[]): ColumnStats {
  const present = values.map((v) => v.trim()).filter((v) => v !== "");
  const nums = present.map(Number);
  if (present.length > 0 && nums.every((n) => Number.isFinite(n))) {
    const s = [...nums].sort((a, b) => a - b);
    const mean = s.reduce((a, b) => a + b, 0) / s.length;
    const variance = s.length > 1 ? s.reduce((a, b) => a + (b - mean) ** 2, 0) / (s.length - 1) : 0;
    return {
      type: "number", count: s.length, mean: round(mean), median: round(quantile(s, 0.5)),
      stdev: round(Math.sqrt(variance)), min: s[0], max: s[s.length - 1],
      q1: round(quantile(s, 0.25)), q3: round(quantile(s, 0.75)),
    };
  }
  const freq = new Map<string, number>();
  for (const v of present) freq.set(v, (freq.get(v) ?? 0) + 1);
  let top: string | null = null;
  for (const [k, n] of freq) if (top === null || n > (freq.get(top) ?? 0)) top = k;
  return { type: "text", count: present.length, distinct: freq.size, top };
}

function stats(csv: string): { rows: number; columns: Record<string, ColumnStats> } {
  const [header = [], ...body] = parseCsv(csv);
  const columns: Record<string, ColumnStats> = {};
  header.forEach((name, i) => {
    columns[name || `column_${i + 1}`] = columnStats(body.map((r) => r[i] ?? ""));
  });
  return { rows: body.length, columns };
}

try {
  const req = JSON.parse(readFileSync(0, "utf8") || "{}") as { csv?: unknown };
  if (typeof req.csv !== "string") {
    console.log(JSON.stringify({ error: "csv (a string) is required" }));
  } else {
    console.log(JSON.stringify(stats(req.csv)));
  }
} catch (e) {
  console.log(JSON.stringify({ error: `input is not JSON: ${(e as Error).message}` }));
}
