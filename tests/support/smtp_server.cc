#include "tests/support/smtp_server.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <tuple>
#include <iostream>
#include <regex>
#include <thread>

#include "tests/support/certificates.h"

namespace identity::testing {
std::unique_ptr<SmtpServer> SmtpServer::Start(Tls tls) {
  std::unique_ptr<SmtpServer> s(new SmtpServer());
  s->dir_ = MakeTempDir("identity-smtp-");
  s->port_ = FreePort();
  s->tls_ = tls;
  std::vector<std::string> args = {
      "/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l",
      "127.0.0.1:" + std::to_string(s->port_), "-c",
      "aiosmtpd.handlers.Mailbox"};
  if (tls != Tls::kNone) {
    const std::string certs = s->dir_ + "/certs";
    if (RunCommand({"mkdir", "-p", certs}) != 0 || !MakeCertificates(certs)) {
      std::cerr << "cannot make certificates: " << ReadFile(certs + "/openssl.log");
      return nullptr;
    }
    const bool starttls = tls == Tls::kStartTls;
    args.insert(args.end(), {starttls ? "--tlscert" : "--smtpscert",
                             certs + "/server.pem",
                             starttls ? "--tlskey" : "--smtpskey",
                             certs + "/server.key"});
  }
  args.push_back(s->dir_ + "/maildir");  // the handler's argument, last
  if (!s->process_.Start(args, {}, s->dir_ + "/smtpd.log")) return nullptr;
  for (int i = 0; i < 100; ++i) {
    if (PortAccepts(s->port_)) return s;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::cerr << "aiosmtpd did not start: " << ReadFile(s->dir_ + "/smtpd.log");
  return nullptr;
}

SmtpServer::~SmtpServer() {
  if (process_.running()) process_.Stop(SIGTERM);
  if (!dir_.empty() && getenv("IDENTITY_KEEP_TEST_DIRS") == nullptr) {
    RunCommand({"rm", "-rf", dir_});
  }
}

std::vector<std::string> SmtpServer::Messages() const {
  // Oldest first: by modification time, then name (Maildir names start with
  // the delivery time).
  std::vector<std::tuple<int64_t, std::string, std::string>> found;
  for (const char* sub : {"/maildir/new", "/maildir/cur"}) {
    std::string path = dir_ + sub;
    DIR* d = opendir(path.c_str());
    if (d == nullptr) continue;
    while (dirent* e = readdir(d)) {
      if (e->d_name[0] == '.') continue;
      const std::string file = path + "/" + e->d_name;
      struct stat st {};
      stat(file.c_str(), &st);
      found.emplace_back(st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec,
                         e->d_name, ReadFile(file));
    }
    closedir(d);
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> out;
  for (auto& f : found) out.push_back(std::move(std::get<2>(f)));
  return out;
}

std::vector<std::string> SmtpServer::MessagesTo(const std::string& to) const {
  std::vector<std::string> out;
  for (std::string& m : Messages()) {
    if (m.find("To: <" + to + ">") != std::string::npos) out.push_back(std::move(m));
  }
  return out;
}

std::string SmtpServer::LastMessageTo(const std::string& to) const {
  std::vector<std::string> all = MessagesTo(to);
  return all.empty() ? "" : all.back();
}

std::string TokenFromMail(const std::string& message) {
  std::smatch m;
  static const std::regex kToken("token=([A-Za-z0-9_-]+)");
  if (std::regex_search(message, m, kToken)) return m[1];
  return "";
}

}  // namespace identity::testing
