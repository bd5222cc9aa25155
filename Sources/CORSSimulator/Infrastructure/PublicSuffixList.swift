/// A trimmed Public Suffix List: the default rule (`*`, every TLD is a public suffix) plus the multi-label
/// ICANN and PRIVATE suffixes that CORS set-ups commonly meet (country second levels and the shared
/// hosting platforms of misconfiguration class 11). url.bs #host-public-suffix, publicsuffix.org/list
///
/// Implementation-defined: the full list has ~9,000 rules; a host under a suffix missing here is treated
/// as registrable one label below its TLD.
public enum PublicSuffixList {
  /// Multi-label public suffixes, lower-case, without a trailing dot.
  public static let suffixes: Set<String> = [
    // ICANN second levels
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
    // PRIVATE section: shared hosting and developer platforms
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
    let trailingDot = domain.hasSuffix(".")
    let trimmed = trailingDot ? domain.dropLast() : Substring(domain)
    guard !trimmed.isEmpty else { return nil }
    // The listed suffixes have two to four labels: try the last four, three and two labels, longest first.
    // (Looking only at the end keeps a hostile host with a million labels cheap.)
    var dots: [Substring.Index] = []
    var i = trimmed.endIndex
    while i > trimmed.startIndex, dots.count < 4 {
      i = trimmed.index(before: i)
      if trimmed[i] == "." { dots.append(i) }
    }
    var starts: [Substring.Index] = dots.count < 4 && !dots.isEmpty ? [trimmed.startIndex] : []
    for k in stride(from: dots.count - 1, through: 1, by: -1) { starts.append(trimmed.index(after: dots[k])) }
    for start in starts {
      let candidate = String(trimmed[start...])
      if suffixes.contains(candidate) { return candidate + (trailingDot ? "." : "") }
    }
    // The default rule: the last label.
    let last = dots.first.map { trimmed[trimmed.index(after: $0)...] } ?? trimmed
    return String(last) + (trailingDot ? "." : "")
  }

  /// The registrable domain: the public suffix plus one label, or nil when the host is itself a public
  /// suffix or not a domain. url.bs #host-registrable-domain
  public static func registrableDomain(of host: Host) -> String? {
    guard case .domain(let domain) = host, let suffix = publicSuffix(of: domain) else { return nil }
    if domain == suffix { return nil }
    let rest = domain.dropLast(suffix.count + 1)
    guard let lastLabel = rest.split(separator: ".", omittingEmptySubsequences: false).last else { return nil }
    return lastLabel + "." + suffix
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
