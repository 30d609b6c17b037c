//! Entry points shared by the fuzz targets under `fuzz/` and the test that replays their corpora: arbitrary
//! bytes in, and whatever they are, no panic and no unbounded allocation out.

/// Statuses the first input byte selects: successes, the documented error statuses and gateway errors.
const STATUSES: [u16; 8] = [200, 202, 400, 401, 403, 429, 500, 503];

/// Decodes `data[1..]` as a response, under the status `data[0]` selects, of every operation of `platform`
/// over SOAP (`soap`) or JSON, and formats any error the way callers would print it. Returns how many of those
/// operations decoded it as a success.
pub fn decode(platform: &str, soap: bool, data: &[u8]) -> usize {
    let Some((&selector, body)) = data.split_first() else {
        return 0;
    };
    let status = STATUSES[usize::from(selector) % STATUSES.len()];
    let entries = crate::operation_table()
        .into_iter()
        .filter(|e| e.spec.service.name == platform && (!soap || e.spec.soap.is_some()));
    let mut decoded = 0;
    for entry in entries {
        match (entry.decode)(soap, status, body) {
            Ok(()) => decoded += 1,
            // Error text quotes at most an excerpt and the offending value, so it stays within a multiple of
            // the input (a byte can become a 3-byte replacement character).
            Err(message) => assert!(
                message.len() <= 4 * body.len() + 4096,
                "error text of {} bytes",
                message.len()
            ),
        }
    }
    decoded
}
