//! What the operating system said, in Chinese: an `std::io::Error` by its
//! kind, with the system's error number for whoever looks it up. The English
//! side is the system's own message (`Display`), which is already English.

use std::io::{Error, ErrorKind};

/// The error in Chinese, e.g. `没有这个文件或目录（系统错误 2）`.
pub fn os_error_zh(e: &Error) -> String {
    let words = match e.kind() {
        ErrorKind::NotFound => "没有这个文件或目录",
        ErrorKind::PermissionDenied => "没有权限",
        ErrorKind::AlreadyExists => "已经存在",
        ErrorKind::IsADirectory => "这是一个目录，不是文件",
        ErrorKind::NotADirectory => "路径中有一项不是目录",
        ErrorKind::DirectoryNotEmpty => "目录不是空的",
        ErrorKind::ReadOnlyFilesystem => "文件系统是只读的",
        ErrorKind::StorageFull => "磁盘已满",
        ErrorKind::QuotaExceeded => "超出磁盘配额",
        ErrorKind::FileTooLarge => "文件太大",
        ErrorKind::InvalidFilename => "文件名无效",
        ErrorKind::CrossesDevices => "不能跨磁盘移动",
        ErrorKind::ResourceBusy => "文件或设备正忙",
        ErrorKind::InvalidData => "内容无效",
        ErrorKind::InvalidInput => "参数无效",
        ErrorKind::UnexpectedEof => "文件意外结束",
        ErrorKind::Interrupted => "操作被中断",
        ErrorKind::BrokenPipe => "管道已断开",
        ErrorKind::ConnectionRefused => "连接被拒绝",
        ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted => "连接已断开",
        ErrorKind::NotConnected => "未连接",
        ErrorKind::TimedOut => "超时",
        ErrorKind::OutOfMemory => "内存不足",
        ErrorKind::Unsupported => "不支持此操作",
        ErrorKind::WouldBlock => "资源暂不可用",
        _ => "系统出错",
    };
    match e.raw_os_error() {
        Some(n) => format!("{words}（系统错误 {n}）"),
        None => words.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_reads_in_chinese_with_its_number() {
        let e = std::fs::File::open("/nonexistent/dangjian/x").unwrap_err();
        assert_eq!(os_error_zh(&e), "没有这个文件或目录（系统错误 2）");
        let made = Error::new(ErrorKind::InvalidData, "bad zip");
        assert_eq!(os_error_zh(&made), "内容无效");
    }
}
