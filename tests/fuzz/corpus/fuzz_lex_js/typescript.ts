class A<T> extends B { #priv = 1; static #s; get x(): number { return this.#priv ?? 0; } }
interface I { a?: string; b: Array<Map<string, number>> }
enum E { A = 1 << 2, B = A >>> 1 }
const v = obj?.a?.[0]?.(x) ?? y; const w = c?.5:1;
let z: { [k: string]: unknown } = {}; z ||= {}; z &&= z; z ??= 1;
export default async function* gen() { yield* other(); }
