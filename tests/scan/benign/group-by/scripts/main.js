'use strict';
const fs = require('fs');
const _ = require('lodash');

const AGGREGATES = {
  sum: (xs) => _.sum(xs),
  avg: (xs) => (xs.length ? _.round(_.mean(xs), 6) : null),
  min: (xs) => (xs.length ? _.min(xs) : null),
  max: (xs) => (xs.length ? _.max(xs) : null),
  count: (xs) => xs.length,
};

function groupBy(records, by, aggregate) {
  const keyOf = (r) => JSON.stringify(by.map((k) => _.get(r, k, null)));
  const groups = _.groupBy(records, keyOf);
  return _.map(groups, (rows, key) => {
    const values = JSON.parse(key);
    const out = _.zipObject(by, values);
    out.count = rows.length;
    _.forEach(aggregate, (fns, field) => {
      const nums = rows.map((r) => _.get(r, field)).filter(_.isFinite);
      for (const fn of [].concat(fns)) {
        if (!AGGREGATES[fn]) throw new Error(`unknown aggregate "${fn}"`);
        out[`${field}_${fn}`] = AGGREGATES[fn](nums);
      }
    });
    return out;
  });
}

let result;
try {
  const req = JSON.parse(fs.readFileSync(0, 'utf8') || '{}');
  if (!Array.isArray(req.records)) throw new Error('records must be an array');
  const by = _.castArray(req.by ?? []);
  if (by.length === 0) throw new Error('by must name at least one key');
  result = { groups: groupBy(req.records, by, req.aggregate ?? {}) };
} catch (err) {
  result = { error: err.message };
}
console.log(JSON.stringify(result));
