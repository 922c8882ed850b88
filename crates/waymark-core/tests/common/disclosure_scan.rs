//! The export rule checked from the outside: in a disclosure-controlled JSON export, no count
//! is 1 to 7 and every count is a multiple of 5. Shared by the tests that scan exports (the
//! report, the governance pack), each naming the keys whose integers are counts.

use serde_json::Value;

/// Every value under one of `count_keys` that the export rule forbids, as `path = n`.
pub fn small_or_unrounded_counts(json: &Value, count_keys: &[&str]) -> Vec<String> {
    fn walk(value: &Value, path: &str, keys: &[&str], out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (key, v) in map {
                    let here = format!("{path}.{key}");
                    if let Some(n) = v.as_u64().filter(|_| keys.contains(&key.as_str())) {
                        if (1..=7).contains(&n) || n % 5 != 0 {
                            out.push(format!("{here} = {n}"));
                        }
                    }
                    walk(v, &here, keys, out);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    walk(v, &format!("{path}[{i}]"), keys, out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(json, "", count_keys, &mut out);
    out
}
