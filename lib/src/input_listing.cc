// The input stage's first step: from the paths a user names to the files to
// read, each once.
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "input_internal.h"

namespace neardup {
namespace {

FileId IdOf(const struct stat& st) { return {st.st_dev, st.st_ino}; }

// "dir" + "a/b.txt" -> "dir/a/b.txt", with exactly one '/' between them.
std::string JoinPath(std::string dir, const std::string& relative) {
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  if (dir == "/") return absl::StrCat("/", relative);
  return absl::StrCat(dir, "/", relative);
}

const char* KindOf(mode_t mode) {
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  return "not a regular file";
}

// A file found under a directory, before sorting.
struct Found {
  std::string relative;
  FileId id;
};

// "PATH: cannot read (reason)", with a hint that fits the reason.
absl::Status CannotRead(absl::string_view path, absl::string_view what,
                        int error) {
  absl::string_view hint = "";
  if (error == EACCES || error == EPERM) hint = " — check its permissions";
  if (error == ELOOP) hint = " — its symbolic links lead back to themselves";
  return absl::Status(
      absl::ErrnoToStatusCode(error),
      absl::StrCat(path, ": ", what, " (", std::strerror(error), ")", hint));
}

// Walks one directory tree. Directories are followed once each (by device
// and inode), so a link back up the tree ends the walk rather than looping.
class Walker {
 public:
  Walker(std::string root, InputListing* listing)
      : root_(std::move(root)), listing_(listing) {}

  absl::Status Walk(const struct stat& root_stat, std::vector<Found>* found) {
    visited_dirs_.insert(IdOf(root_stat));
    std::vector<std::string> names;
    if (!ListNames(root_, &names)) {
      const int error = errno;
      return CannotRead(root_, "cannot list directory", error);
    }
    Visit("", names, found);
    return absl::OkStatus();
  }

 private:
  // The names in `dir`, hidden ones left out, sorted byte-wise. False (errno
  // set) if it cannot be listed.
  static bool ListNames(const std::string& dir,
                        std::vector<std::string>* names) {
    DIR* d = opendir(dir.c_str());
    if (d == nullptr) return false;
    errno = 0;
    while (const dirent* entry = readdir(d)) {
      if (entry->d_name[0] != '.') names->push_back(entry->d_name);
    }
    const int error = errno;
    closedir(d);
    errno = error;
    std::sort(names->begin(), names->end());
    return error == 0;
  }

  void Skip(const std::string& path, absl::string_view what) {
    ++listing_->skipped_files;
    listing_->warnings.push_back({path, absl::StrCat("skipped: ", what)});
  }

  void Visit(const std::string& prefix, const std::vector<std::string>& names,
             std::vector<Found>* found) {
    for (const std::string& name : names) {
      const std::string relative =
          prefix.empty() ? name : absl::StrCat(prefix, "/", name);
      const std::string path = JoinPath(root_, relative);
      struct stat st;
      if (stat(path.c_str(), &st) != 0) {
        const int error = errno;
        struct stat link;
        if (error == ELOOP) {
          Skip(path, "a loop of symbolic links");
        } else if (lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode)) {
          Skip(path, "a link to nothing (dangling symbolic link)");
        } else {
          Skip(path, absl::StrCat("cannot read (", std::strerror(error), ")"));
        }
        continue;
      }
      if (S_ISDIR(st.st_mode)) {
        if (!visited_dirs_.insert(IdOf(st)).second) continue;  // a loop
        std::vector<std::string> children;
        if (!ListNames(path, &children)) {
          Skip(path, absl::StrCat("cannot list directory (",
                                  std::strerror(errno), ")"));
          continue;
        }
        Visit(relative, children, found);
      } else if (!S_ISREG(st.st_mode)) {
        Skip(path, KindOf(st.st_mode));
      } else if (access(path.c_str(), R_OK) != 0) {
        Skip(path, absl::StrCat("cannot read (", std::strerror(errno), ")"));
      } else {
        found->push_back({relative, IdOf(st)});
      }
    }
  }

  std::string root_;
  InputListing* listing_;
  absl::flat_hash_set<FileId> visited_dirs_;
};

}  // namespace

absl::Status ListInputs(std::vector<std::string> paths, std::FILE* stdin_file,
                        InputListing* listing) {
  // Adds a source unless its file is already one; `name` is for messages.
  const auto add = [listing](std::string name, int dir, const FileId* id) {
    if (id != nullptr && !listing->files.insert(*id).second) {
      ++listing->repeated_files;
      listing->warnings.push_back(
          {name,
           "already read (named twice, or reached through a link); read "
           "once"});
      return;
    }
    listing->sources.push_back({std::move(name), dir});
  };
  for (std::string& path : paths) {
    struct stat st;
    if (path == "-") {
      const bool known = fstat(fileno(stdin_file), &st) == 0 &&
                         (S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode));
      const FileId id = IdOf(st);
      add(std::move(path), -1, known ? &id : nullptr);
      continue;
    }
    if (stat(path.c_str(), &st) != 0) {
      const int error = errno;
      if (error == ENOENT || error == ENOTDIR) {
        return absl::NotFoundError(
            absl::StrCat(path, ": no such file or directory — check the path"));
      }
      return CannotRead(path, "cannot read", error);
    }
    // access() rather than a trial open: opening and closing a pipe such as
    // <(zcat x.gz) would make its writer fail.
    if (access(path.c_str(), R_OK) != 0) {
      const int error = errno;
      return CannotRead(path, "cannot read", error);
    }
    if (!S_ISDIR(st.st_mode)) {
      const FileId id = IdOf(st);
      add(std::move(path), -1, &id);
      continue;
    }
    std::vector<Found> found;
    Walker walker(path, listing);
    if (absl::Status s = walker.Walk(st, &found); !s.ok()) return s;
    // std::string compares bytes as unsigned char, i.e. byte-wise.
    std::sort(found.begin(), found.end(), [](const Found& x, const Found& y) {
      return x.relative < y.relative;
    });
    if (found.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          path,
          ": no files in directory (hidden files are skipped) — check "
          "the path"));
    }
    // A directory whose files were all read already adds nothing, and that
    // is no error.
    const int dir = static_cast<int>(listing->dirs.size());
    for (const Found& file : found) {
      add(JoinPath(path, file.relative), dir, &file.id);
    }
    listing->dirs.push_back({std::move(path)});
  }
  return absl::OkStatus();
}

}  // namespace neardup
