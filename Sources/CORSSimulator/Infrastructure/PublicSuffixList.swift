/// A trimmed Public Suffix List: the default rule (`*`, every TLD is a public suffix) plus the multi-label
/// ICANN and PRIVATE suffixes that CORS set-ups commonly meet (country second levels and the shared
/// hosting platforms of misconfiguration class 11). url.bs #host-public-suffix, publicsuffix.org/list
///
/// Implementation-defined: the full list has ~9,000 rules; a host under a suffix missing here is treated
/// as registrable one label below its TLD.
public enum PublicSuffixList {
  /// Multi-label public suffixes, lower-case, without a trailing dot.
  public static let suffixes: Set<String> = icannSecondLevels.union(sharedHosting)

  /// The ICANN section's second levels.
  static let icannSecondLevels: Set<String> = [
    "co.uk", "org.uk", "ac.uk", "gov.uk", "me.uk", "ltd.uk", "plc.uk", "net.uk", "sch.uk", "nhs.uk",
    "com.au", "net.au", "org.au", "edu.au", "gov.au", "id.au", "co.nz", "org.nz", "net.nz", "govt.nz",
    "co.jp", "ne.jp", "or.jp", "ac.jp", "go.jp", "com.br", "net.br", "org.br", "gov.br", "com.cn", "net.cn",
    "org.cn", "gov.cn", "edu.cn", "co.in", "net.in", "org.in", "gov.in", "ac.in", "co.za", "org.za", "gov.za",
    "com.mx", "org.mx", "gob.mx", "com.tr", "gov.tr", "com.ar", "gob.ar", "com.sg", "gov.sg", "com.hk",
    "gov.hk", "com.tw", "gov.tw", "co.kr", "or.kr", "go.kr", "co.il", "org.il", "gov.il", "com.ua", "gov.ua",
    "co.id", "go.id", "or.id", "com.my", "gov.my", "com.ph", "gov.ph", "com.pk", "gov.pk", "com.vn", "gov.vn",
    "com.eg", "gov.eg", "com.sa", "gov.sa", "co.th", "go.th", "or.th", "com.co", "gov.co", "com.pe", "gob.pe",
    "com.es", "org.es", "gob.es", "com.pl", "net.pl", "org.pl", "gov.pl", "co.at", "or.at", "gv.at",
    "com.ru", "org.ru", "net.ru", "co.ve", "com.ng", "gov.ng", "co.ke", "or.ke", "go.ke",
  ]

  /// The PRIVATE section's suffixes kept here: shared hosting and developer platforms, where anyone can
  /// publish a site under the suffix (misconfiguration class 11).
  public static let sharedHosting: Set<String> = [
    "github.io", "githubusercontent.com", "gitlab.io", "pages.dev", "workers.dev", "vercel.app", "now.sh",
    "netlify.app", "herokuapp.com", "azurewebsites.net", "azurestaticapps.net", "cloudfront.net",
    "s3.amazonaws.com", "elasticbeanstalk.com", "appspot.com", "web.app", "firebaseapp.com", "blogspot.com",
    "glitch.me", "onrender.com", "fly.dev", "ngrok.io", "ngrok-free.app", "ngrok.app", "trycloudflare.com",
    "repl.co", "replit.dev", "surge.sh", "bitbucket.io", "readthedocs.io", "deno.dev", "web.val.run",
    "railway.app", "up.railway.app", "cloudflareaccess.com", "r2.dev", "codesandbox.io", "csb.app",
    "stackblitz.io", "webcontainer.io", "githubpreview.dev", "app.github.dev", "azureedge.net",
  ]

  /// The public suffix of a domain: the longest listed suffix, or the last label (the `*` rule).
  /// url.bs #host-public-suffix
  public static func publicSuffix(of domain: String) -> String? {
    guard let (start, end) = suffixRange(of: domain) else { return nil }
    return start == 0 && end == domain.utf8.count ? domain : substring(domain, start, domain.utf8.count)
  }

  /// The byte offsets of the public suffix in `domain` (the end excludes a trailing dot), or nil for "".
  static func suffixRange(of domain: String) -> (start: Int, end: Int)? {
    HTTPSyntax.withBytes(domain) { u -> (Int, Int)? in
      let end = u.last == 0x2E ? u.count - 1 : u.count
      guard end > 0 else { return nil }
      // The listed suffixes have two to four labels: try the last four, three and two labels, longest first.
      // (Looking only at the end keeps a hostile host with a million labels cheap.)
      var labelStarts = (0, 0, 0, 0)  // starts of the last 1…4 labels; 0 where the domain begins
      var found = 0
      var i = end
      while i > 0, found < 4 {
        i -= 1
        if u[i] == 0x2E {
          switch found {
          case 0: labelStarts.0 = i + 1
          case 1: labelStarts.1 = i + 1
          case 2: labelStarts.2 = i + 1
          default: labelStarts.3 = i + 1
          }
          found += 1
        }
      }
      let starts = [labelStarts.3, labelStarts.2, labelStarts.1]
      for (k, start) in starts.enumerated() where found >= 3 - k {
        let candidate = String(decoding: UnsafeBufferPointer(rebasing: u[start..<end]), as: UTF8.self)
        if suffixes.contains(candidate) { return (start, end) }
      }
      // The default rule: the last label.
      return (labelStarts.0, end)
    }
  }

  static func substring(_ s: String, _ from: Int, _ to: Int) -> String {
    HTTPSyntax.withBytes(s) { String(decoding: UnsafeBufferPointer(rebasing: $0[from..<to]), as: UTF8.self) }
  }

  /// The registrable domain: the public suffix plus one label, or nil when the host is itself a public
  /// suffix or not a domain. url.bs #host-registrable-domain
  public static func registrableDomain(of host: Host) -> String? {
    guard case .domain(let domain) = host, let (start, _) = suffixRange(of: domain), start > 0 else { return nil }
    // One more label: back from the dot before the suffix to the previous dot.
    return HTTPSyntax.withBytes(domain) { u -> String? in
      var i = start - 1  // the dot
      guard i > 0 else { return nil }
      while i > 0, u[i - 1] != 0x2E { i -= 1 }
      if i == start - 1 { return nil }  // an empty label (`a..com`)
      return String(decoding: UnsafeBufferPointer(rebasing: u[i...]), as: UTF8.self)
    }
  }

  /// The host part of a site: the registrable domain, or the host when it has none.
  /// html: browsers.html#obtain-a-site
  public static func site(of host: Host) -> String {
    registrableDomain(of: host) ?? host.serialized
  }

  /// Whether two hosts have the same site, without building the sites when the hosts are equal.
  static func sameSite(_ a: Host, _ b: Host) -> Bool {
    a == b || site(of: a) == site(of: b)
  }
}
