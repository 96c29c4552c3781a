//! Reading the input: a path or `-` for standard input, bounded in size.

use std::io::Read;
use std::path::Path;

/// Reads at most `limit + 1` bytes, so an oversized input is detected
/// without reading all of it into memory.
pub fn read_input(path: &Path, limit: usize) -> Result<Vec<u8>, String> {
    let mut buf = Vec::new();
    let cap = limit as u64 + 1;
    let result = if path.as_os_str() == "-" {
        std::io::stdin().lock().take(cap).read_to_end(&mut buf)
    } else {
        std::fs::File::open(path)
            .map_err(|e| format!("cannot open {}: {e}", path.display()))?
            .take(cap)
            .read_to_end(&mut buf)
    };
    result.map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    crate::render::learn_input(&buf);
    Ok(buf)
}
