import Foundation
import Testing

/// Every Swift code block of the documentation (the DocC catalogues under Sources/, README.md, docs/*.md, and
/// the doc comments of Sources/, whose unlabelled blocks DocC reads as Swift) is compiled and run by a test: it must appear verbatim as a sample region of a test file under Tests/ or Tools/Tests/ — the
/// lines between `// sample begin` and `// sample end` (or README's `// README begin` and `// README end`),
/// without their common indentation. A block's leading `import` lines are left out of the comparison, and
/// each must be imported by the test file that holds the region. Package manifests (a block whose first line
/// is `// swift-tools-version…` or `.package(…`) are fragments of someone else's `Package.swift`: they are
/// checked to name products that exist, not compiled.
@Suite("Documentation: every Swift sample is compiled and run by a test")
struct DocumentationSampleTests {
  static let root: URL = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url
  }()

  /// Markdown files whose Swift blocks are documentation.
  static func documents() -> [URL] {
    var out = [root.appendingPathComponent("README.md")]
    let fm = FileManager.default
    for folder in ["Sources", "docs"] {
      guard let e = fm.enumerator(at: root.appendingPathComponent(folder), includingPropertiesForKeys: nil) else { continue }
      for case let url as URL in e where url.pathExtension == "md" { out.append(url) }
    }
    return out.sorted { $0.path < $1.path }
  }

  /// Swift files whose doc comments are documentation.
  static func sources() -> [URL] {
    var out: [URL] = []
    guard let e = FileManager.default.enumerator(at: root.appendingPathComponent("Sources"), includingPropertiesForKeys: nil)
    else { return [] }
    for case let url as URL in e where url.pathExtension == "swift" { out.append(url) }
    return out.sorted { $0.path < $1.path }
  }

  /// A Swift file's doc comments as Markdown (`/// ` removed), other lines left empty so line numbers stay.
  static func docComments(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
      let t = line.drop { $0 == " " }
      guard t.hasPrefix("///") else { return "" }
      let rest = t.dropFirst(3)
      return rest.first == " " ? rest.dropFirst() : rest
    }.joined(separator: "\n")
  }

  /// The ```swift blocks of a Markdown text (and bare ``` blocks when `bareIsSwift`), with the line each starts on.
  static func swiftBlocks(_ text: String, bareIsSwift: Bool = false) -> [(line: Int, code: String)] {
    var out: [(Int, String)] = []
    var current: [Substring]? = nil
    var start = 0
    var inOther = false
    for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let t = line.trimmingCharacters(in: .whitespaces)
      if current == nil, inOther {
        if t == "```" { inOther = false }
      } else if current == nil, t.hasPrefix("```"), t != "```swift", !(bareIsSwift && t == "```") {
        inOther = true
      } else if current == nil, t == "```swift" || (bareIsSwift && t == "```") {
        current = []
        start = i + 2
      } else if current != nil, line.trimmingCharacters(in: .whitespaces) == "```" {
        out.append((start, current!.joined(separator: "\n")))
        current = nil
      } else if current != nil {
        current!.append(line)
      }
    }
    return out
  }

  /// A sample region of a test file, de-indented, and the modules the file imports.
  struct Region {
    var file: String
    var code: String
    var imports: Set<String>
  }

  static func regions() throws -> [Region] {
    var out: [Region] = []
    // The tools' tests too (`swift test --package-path Tools` compiles and runs them): the samples that need
    // a live server or a web framework live there, as the libraries do not depend on one.
    let urls = ["Tests", "Tools/Tests"].flatMap { folder -> [URL] in
      let e = FileManager.default.enumerator(at: root.appendingPathComponent(folder), includingPropertiesForKeys: nil)
      return (e?.allObjects as? [URL] ?? []).sorted { $0.path < $1.path }
    }
    for url in urls {
      guard url.pathExtension == "swift" else { continue }
      let text = try String(contentsOf: url, encoding: .utf8)
      let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
      let imports = Set(lines.compactMap { l -> String? in
        let t = l.trimmingCharacters(in: .whitespaces)
        for prefix in ["import ", "@testable import "] where t.hasPrefix(prefix) { return String(t.dropFirst(prefix.count)) }
        return nil
      })
      var body: [Substring]? = nil
      for line in lines {
        let t = line.trimmingCharacters(in: .whitespaces)
        if t == "// sample begin" || t == "// README begin" {
          body = []
        } else if t == "// sample end" || t == "// README end", let b = body {
          let indent = b.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            .map { $0.prefix { $0 == " " }.count }.min() ?? 0
          out.append(Region(file: url.lastPathComponent, code: b.map { String($0.dropFirst(min(indent, $0.count))) }
                              .joined(separator: "\n"), imports: imports))
          body = nil
        } else if body != nil {
          body!.append(line)
        }
      }
    }
    return out
  }

  /// The block without its leading imports (and the blank line after them), and those imports.
  static func splitImports(_ code: String) -> (imports: [String], rest: String) {
    var lines = code.split(separator: "\n", omittingEmptySubsequences: false)[...]
    var imports: [String] = []
    while let first = lines.first, first.hasPrefix("import ") {
      imports.append(String(first.dropFirst("import ".count)))
      lines = lines.dropFirst()
    }
    if !imports.isEmpty, lines.first?.isEmpty == true { lines = lines.dropFirst() }
    return (imports, lines.joined(separator: "\n"))
  }

  static func isManifestFragment(_ code: String) -> Bool {
    let first = code.split(separator: "\n").first?.trimmingCharacters(in: .whitespaces) ?? ""
    return first.hasPrefix("// swift-tools-version") || first.hasPrefix(".package(")
  }

  @Test("every Swift block of the documentation is a sample region of a test, verbatim")
  func everyBlockIsCompiled() throws {
    let regions = try Self.regions()
    var blocks = 0
    let markdown = try Self.documents().map { ($0, Self.swiftBlocks(try String(contentsOf: $0, encoding: .utf8))) }
    let comments = try Self.sources().map {
      ($0, Self.swiftBlocks(Self.docComments(try String(contentsOf: $0, encoding: .utf8)), bareIsSwift: true))
    }
    for (doc, found) in markdown + comments {
      let name = doc.path.replacingOccurrences(of: Self.root.path + "/", with: "")
      for (line, code) in found where !Self.isManifestFragment(code) {
        blocks += 1
        let (imports, rest) = Self.splitImports(code)
        let holder = regions.first { $0.code == rest }
        #expect(holder != nil, "\(name):\(line): this Swift block is in no test's sample region:\n\(code)")
        if let holder {
          for module in imports {
            #expect(holder.imports.contains(module), "\(name):\(line): the block imports \(module), \(holder.file) does not")
          }
        }
      }
    }
    #expect(blocks >= 20, "the documentation's Swift blocks were not found (\(blocks))")
  }

  @Test("package manifest fragments name products the package has")
  func manifestFragments() throws {
    let manifest = try String(contentsOf: Self.root.appendingPathComponent("Package.swift"), encoding: .utf8)
    for doc in Self.documents() {
      let text = try String(contentsOf: doc, encoding: .utf8)
      for (line, code) in Self.swiftBlocks(text) where Self.isManifestFragment(code) {
        for part in code.components(separatedBy: #".product(name: ""#).dropFirst() {
          let product = String(part.prefix { $0 != "\"" })
          guard part.contains(#"package: "corsim""#) || part.contains(#"package: "main""#) else { continue }
          #expect(manifest.contains(#".library(name: "\#(product)""#), "\(doc.lastPathComponent):\(line): no product \(product)")
        }
      }
    }
  }
}
