#!/usr/bin/env node
import fs from "node:fs";
import path from "node:path";
import type { Request } from "express";
import { execFile } from "node:child_process";
import { promisify } from "node:util";

interface Options { exec(cmd: string): void; name?: string }
type Handler = (req: Request) => Promise<void>;
enum Color { Red = "red", Blue = "blue" }

const execFileP = promisify(execFile);
const input = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const re = /(\d+)-(\d+)/g;
let m: RegExpExecArray | null;
while ((m = re.exec(input.text)) !== null) console.log(`match ${m[1]} at ${m.index}`);
async function forecast(lat: number, lon: number): Promise<any> {
  const url = `https://api.open-meteo.com/v1/forecast?latitude=${lat}&longitude=${lon}`;
  const res = await fetch(url);
  return res.json();
}
class Runner<T extends object> {
  private readonly cache = new Map<string, T>();
  async run(args: string[]): Promise<string> {
    const { stdout } = await execFileP("git", ["log", "--oneline", ...args]);
    return stdout!.trim();
  }
}
export default forecast;
