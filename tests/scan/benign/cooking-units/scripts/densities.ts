// Grams per millilitre, from weighing one US cup (236.6 ml) of each, spooned and levelled.
export type Ingredient =
  | "flour"
  | "sugar"
  | "brown-sugar"
  | "butter"
  | "water"
  | "milk"
  | "honey"
  | "rice"
  | "oats"
  | "cocoa";

export const DENSITY_G_PER_ML: Readonly<Record<Ingredient, number>> = {
  flour: 0.528,
  sugar: 0.845,
  "brown-sugar": 0.93,
  butter: 0.959,
  water: 1.0,
  milk: 1.03,
  honey: 1.42,
  rice: 0.786,
  oats: 0.38,
  cocoa: 0.359,
};
