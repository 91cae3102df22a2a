import { readFileSync } from "node:fs";
import dayjs, { type Dayjs } from "dayjs";

interface Meeting {
  title: string;
  start: string;
  end: string;
}
interface Task {
  title: string;
  minutes: number;
  priority?: number;
}
interface PlanRequest {
  date: string;
  start: string;
  end: string;
  break_minutes?: number;
  meetings?: Meeting[];
  tasks?: Task[];
}
interface Block {
  title: string;
  start: string;
  end: string;
  kind: "meeting" | "task";
}

const at = (date: string, hhmm: string): Dayjs => dayjs(`${date}T${hhmm}`);
const fmt = (d: Dayjs): string => d.format("HH:mm");

export function plan(req: PlanRequest): { blocks: Block[]; unscheduled: Task[] } {
  const pause = req.break_minutes ?? 10;
  const dayStart = at(req.date, req.start);
  const dayEnd = at(req.date, req.end);
  const meetings = [...(req.meetings ?? [])]
    .map((m) => ({ ...m, s: at(req.date, m.start), e: at(req.date, m.end) }))
    .sort((a, b) => a.s.valueOf() - b.s.valueOf());

  // free gaps between meetings
  const gaps: { s: Dayjs; e: Dayjs }[] = [];
  let cursor = dayStart;
  for (const m of meetings) {
    if (m.s.isAfter(cursor)) gaps.push({ s: cursor, e: m.s });
    if (m.e.isAfter(cursor)) cursor = m.e;
  }
  if (dayEnd.isAfter(cursor)) gaps.push({ s: cursor, e: dayEnd });

  const tasks = (req.tasks ?? [])
    .map((t, i) => ({ t, i }))
    .sort((a, b) => (a.t.priority ?? 5) - (b.t.priority ?? 5) || a.i - b.i)
    .map(({ t }) => t);

  const blocks: Block[] = meetings.map((m) => ({ title: m.title, start: fmt(m.s), end: fmt(m.e), kind: "meeting" }));
  const unscheduled: Task[] = [];
  for (const task of tasks) {
    const gap = gaps.find((g) => g.e.diff(g.s, "minute") >= task.minutes);
    if (!gap) {
      unscheduled.push(task);
      continue;
    }
    const end = gap.s.add(task.minutes, "minute");
    blocks.push({ title: task.title, start: fmt(gap.s), end: fmt(end), kind: "task" });
    gap.s = end.add(pause, "minute");
  }
  blocks.sort((a, b) => a.start.localeCompare(b.start));
  return { blocks, unscheduled };
}

const request = JSON.parse(readFileSync(0, "utf8") || "{}") as PlanRequest;
if (!request.date || !request.start || !request.end) {
  console.log(JSON.stringify({ error: "date, start and end are required" }));
} else {
  console.log(JSON.stringify(plan(request)));
}
