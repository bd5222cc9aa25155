import Crypto
import NIOSSL
import SwiftASN1
import X509

import struct Foundation.Data
import struct Foundation.Date

/// A certificate authority and a server certificate for every host the plan uses, made at run time and
/// kept in memory (the keys are never written to disk). Browsers are told to trust it: Chromium by the
/// server key's SPKI hash (`--ignore-certificate-errors-spki-list`), Firefox by importing the CA into the
/// run's own profile with `certutil`, WebKitGTK by the web view's TLS-errors policy.
public struct TestCertificate: Sendable {
  /// The CA certificate, PEM (public, for `certutil`).
  public let caPEM: String
  /// base64(SHA-256(SubjectPublicKeyInfo)) of the server key, for Chromium.
  public let serverSPKIHash: String
  /// The TLS context the scripted server answers with.
  public let context: NIOSSLContext

  /// Makes a CA and a server certificate naming `hosts` (plus localhost, 127.0.0.1 and ::1).
  public init(hosts: [String]) throws {
    let now = Date()
    let caKey = P256.Signing.PrivateKey()
    let caName = try DistinguishedName {
      OrganizationName("corsim")
      CommonName("corsim conformance harness CA (temporary)")
    }
    let ca = try Certificate(
      version: .v3, serialNumber: .init(), publicKey: .init(caKey.publicKey),
      notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(7 * 86400),
      issuer: caName, subject: caName, signatureAlgorithm: .ecdsaWithSHA256,
      extensions: try Certificate.Extensions {
        Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
        Critical(KeyUsage(keyCertSign: true, cRLSign: true))
      },
      issuerPrivateKey: .init(caKey))

    let serverKey = P256.Signing.PrivateKey()
    var names = Set(hosts)
    names.insert("localhost")
    var alternatives = names.sorted().map { GeneralName.dnsName($0) }
    alternatives.append(.ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])))
    alternatives.append(.ipAddress(ASN1OctetString(contentBytes: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])))
    let server = try Certificate(
      version: .v3, serialNumber: .init(), publicKey: .init(serverKey.publicKey),
      notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(7 * 86400),
      issuer: caName, subject: try DistinguishedName { CommonName("corsim scripted server") },
      signatureAlgorithm: .ecdsaWithSHA256,
      extensions: try Certificate.Extensions {
        Critical(BasicConstraints.notCertificateAuthority)
        Critical(KeyUsage(digitalSignature: true))
        try ExtendedKeyUsage([.serverAuth])
        SubjectAlternativeNames(alternatives)
      },
      issuerPrivateKey: .init(caKey))

    caPEM = try ca.serializeAsPEM().pemString
    serverSPKIHash = Data(SHA256.hash(data: serverKey.publicKey.derRepresentation)).base64EncodedString()
    let chain = try [server, ca].map { cert -> NIOSSLCertificate in
      var serializer = DER.Serializer()
      try serializer.serialize(cert)
      return try NIOSSLCertificate(bytes: serializer.serializedBytes, format: .der)
    }
    let key = try NIOSSLPrivateKey(bytes: Array(serverKey.derRepresentation), format: .der)
    let configuration = TLSConfiguration.makeServerConfiguration(
      certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
    context = try NIOSSLContext(configuration: configuration)
  }
}
