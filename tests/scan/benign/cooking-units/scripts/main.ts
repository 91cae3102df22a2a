import { readFileSync } from "node:fs";
import { DENSITY_G_PER_ML, type Ingredient } from "./densities.ts";

type VolumeUnit = "tsp" | "tbsp" | "cup" | "ml" | "l" | "floz";
type WeightUnit = "g" | "kg" | "oz" | "lb";
type Unit = VolumeUnit | WeightUnit;

interface Request {
  amount: number;
  from: Unit;
  to: Unit;
  ingredient?: Ingredient;
  cup_ml?: number;
}

interface Answer {
  amount?: number;
  unit?: Unit;
  note?: string;
  error?: string;
}

const WEIGHT_G: Record<WeightUnit, number> = { g: 1, kg: 1000, oz: 28.349523125, lb: 453.59237 };

function volumeMl(cupMl: number): Record<VolumeUnit, number> {
  return { tsp: cupMl / 48, tbsp: cupMl / 16, cup: cupMl, ml: 1, l: 1000, floz: 29.5735295625 };
}

const isWeight = (u: string): u is WeightUnit => u in WEIGHT_G;

function convert(req: Request): Answer {
  const vol = volumeMl(req.cup_ml ?? 236.5882365);
  const known = (u: string): boolean => isWeight(u) || u in vol;
  if (typeof req.amount !== "number" || !Number.isFinite(req.amount)) return { error: "amount must be a number" };
  if (!known(req.from) || !known(req.to)) return { error: `unknown unit (use ${Object.keys(vol).join(", ")}, g, kg, oz, lb)` };

  const fromWeight = isWeight(req.from);
  const toWeight = isWeight(req.to);
  let note: string | undefined;
  let grams: number | undefined;
  let ml: number | undefined;

  if (fromWeight) grams = req.amount * WEIGHT_G[req.from as WeightUnit];
  else ml = req.amount * vol[req.from as VolumeUnit];

  if (fromWeight !== toWeight) {
    const ing = req.ingredient;
    if (!ing || !(ing in DENSITY_G_PER_ML)) {
      return { error: "volume <-> weight needs a known ingredient" };
    }
    const d = DENSITY_G_PER_ML[ing];
    if (fromWeight) ml = (grams as number) / d;
    else grams = (ml as number) * d;
    note = `${ing}: ${Math.round(d * vol.cup)} g per cup`;
  }

  const value = toWeight ? (grams as number) / WEIGHT_G[req.to as WeightUnit] : (ml as number) / vol[req.to as VolumeUnit];
  return { amount: Math.round(value * 100) / 100, unit: req.to, ...(note ? { note } : {}) };
}

let answer: Answer;
try {
  answer = convert(JSON.parse(readFileSync(0, "utf8") || "{}") as Request);
} catch (e) {
  answer = { error: `input is not JSON: ${(e as Error).message}` };
}
console.log(JSON.stringify(answer));
