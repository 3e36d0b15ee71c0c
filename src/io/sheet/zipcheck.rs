//! Measuring a zipped workbook's parts before calamine reads them: each XML
//! or binary part is decompressed into nothing, counting, and the count (not
//! the size the zip declares, which a bomb lies about) is held against the
//! caps. Costs one decompression of the parts; holds one buffer.

use super::ReadError;
use super::limits::{MAX_PART_BYTES, MAX_RATIO, MAX_STRINGS_BYTES, RATIO_FLOOR};
use std::io::{Read, Seek};
use std::path::Path;

/// Parts calamine reads: XML, relationships and the binary records of .xlsb.
/// Pictures and the like are left alone (calamine does not open them here).
fn is_read(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.ends_with(".xml") || n.ends_with(".rels") || n.ends_with(".bin") || n == "mimetype"
}

fn is_strings(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.ends_with("sharedstrings.xml") || n.ends_with("sharedstrings.bin")
}

pub fn check<R: Read + Seek>(path: &Path, zip: &mut zip::ZipArchive<R>) -> Result<(), ReadError> {
    let mut buf = vec![0u8; 64 << 10];
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(|e| ReadError::Workbook {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        let name = part.name().map(|n| n.into_owned()).unwrap_or_default();
        if part.is_dir() || !is_read(&name) {
            continue;
        }
        let cap = if is_strings(&name) {
            MAX_STRINGS_BYTES
        } else {
            MAX_PART_BYTES
        };
        let bomb_at = part
            .compressed_size()
            .saturating_mul(MAX_RATIO)
            .max(RATIO_FLOOR);
        let limit = cap.min(bomb_at);
        let mut total = 0u64;
        loop {
            let n = part.read(&mut buf).map_err(|e| ReadError::Workbook {
                path: path.to_path_buf(),
                reason: format!("part {name} cannot be decompressed: {e}"),
            })?;
            if n == 0 {
                break;
            }
            total += n as u64;
            if total > limit {
                return Err(if limit == cap {
                    ReadError::refused(
                        path,
                        format!(
                            "its part {name} holds more than {} MB, more than any roster",
                            cap >> 20
                        ),
                        format!("其中的 {name} 超过 {} MB，远超任何花名册", cap >> 20),
                    )
                } else {
                    ReadError::refused(
                        path,
                        format!(
                            "its part {name} expands more than {MAX_RATIO} times (from {} bytes): \
                             a zip bomb, not a workbook an office saved",
                            part.compressed_size()
                        ),
                        format!(
                            "其中的 {name} 解压后膨胀超过 {MAX_RATIO} 倍（压缩后 {} 字节）：这是“压缩炸弹”，不是正常保存的工作簿",
                            part.compressed_size()
                        ),
                    )
                });
            }
        }
    }
    Ok(())
}
