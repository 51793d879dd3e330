#include "text_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace threadlab {

namespace {

std::string mebibytes(std::size_t bytes) {
    const std::size_t mib = bytes / (1024 * 1024);
    return mib > 0 ? std::to_string(mib) + " MiB" : std::to_string(bytes) + " bytes";
}

/// Closes the descriptor on every path out.
struct FileDescriptor {
    explicit FileDescriptor(int descriptor) : fd(descriptor) {}
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    ~FileDescriptor() {
        if (fd >= 0) {
            ::close(fd);
        }
    }
    int fd;
};

}  // namespace

std::optional<std::string> read_text_file(const std::string& path, std::size_t max_bytes, std::string& error) {
    // O_NONBLOCK: opening a FIFO for reading returns at once instead of waiting for a writer.
    const FileDescriptor file(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
    if (file.fd < 0) {
        error = std::string("cannot open the file (").append(std::strerror(errno)).append(")");
        return std::nullopt;
    }
    struct stat status {};
    if (::fstat(file.fd, &status) != 0) {
        error = std::string("cannot read the file (").append(std::strerror(errno)).append(")");
        return std::nullopt;
    }
    if (!S_ISREG(status.st_mode)) {
        error = S_ISDIR(status.st_mode) ? "a directory, not a file"
                                        : "not a regular file (a device, FIFO or socket is never read)";
        return std::nullopt;
    }
    if (status.st_size < 0 || static_cast<std::size_t>(status.st_size) > max_bytes) {
        error = std::string("the file is larger than ").append(mebibytes(max_bytes));
        return std::nullopt;
    }
    std::string contents;
    contents.resize(static_cast<std::size_t>(status.st_size));
    std::size_t filled = 0;
    // The file may grow while it is read: read until end of file, never past the limit.
    while (true) {
        if (filled == contents.size()) {
            if (contents.size() > max_bytes) {
                error = std::string("the file is larger than ").append(mebibytes(max_bytes));
                return std::nullopt;
            }
            contents.resize(std::min(max_bytes + 1, std::max<std::size_t>(contents.size() * 2, 4096)));
        }
        const ssize_t got = ::read(file.fd, contents.data() + filled, contents.size() - filled);
        if (got < 0) {
            if (errno == EINTR) {
                continue;
            }
            error = std::string("cannot read the file (").append(std::strerror(errno)).append(")");
            return std::nullopt;
        }
        if (got == 0) {
            break;
        }
        filled += static_cast<std::size_t>(got);
    }
    if (filled > max_bytes) {
        error = std::string("the file is larger than ").append(mebibytes(max_bytes));
        return std::nullopt;
    }
    contents.resize(filled);
    return contents;
}

}  // namespace threadlab
