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

/// Platforms the first input byte of a request input selects.
const PLATFORMS: [&str; 3] = ["batch", "microsoft", "pinterest"];

/// Reads `data[1..]` as a JSON request of every operation of the platform `data[0]` selects and writes each one
/// that reads back out through the generated encoder, which must give the bytes serde_json gives. Returns how
/// many operations read it.
pub fn encode(data: &[u8]) -> usize {
    let Some((&selector, json)) = data.split_first() else {
        return 0;
    };
    let platform = PLATFORMS[usize::from(selector) % PLATFORMS.len()];
    crate::operation_table()
        .into_iter()
        .filter(|e| e.spec.service.name == platform)
        .filter(|e| encoded(e, json).is_ok())
        .count()
}

/// The body the generated encoder writes for `data` read as a request of the operation `id`, after checking it
/// against serde_json's; `Err` when `data` is no such request.
pub fn encode_as(id: &str, data: &[u8]) -> Result<Vec<u8>, String> {
    let entry = crate::operation_table()
        .into_iter()
        .find(|e| e.spec.id == id)
        .ok_or_else(|| format!("no operation {id}"))?;
    encoded(entry, data)
}

fn encoded(entry: &crate::runtime::cli::Entry, data: &[u8]) -> Result<Vec<u8>, String> {
    let written = (entry.encode)(data)?;
    let ours = String::from_utf8_lossy(&written.encoded);
    match &written.serde {
        Ok(theirs) => assert_eq!(
            ours,
            String::from_utf8_lossy(theirs),
            "{}: the encoder and serde_json disagree",
            entry.spec.id
        ),
        Err(e) => panic!(
            "{}: serde_json cannot write what the encoder wrote as {ours}: {e}",
            entry.spec.id
        ),
    }
    Ok(written.encoded)
}
