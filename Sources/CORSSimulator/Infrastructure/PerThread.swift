#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One object per thread, made by the thread's first use and released when the thread ends: for memos of what the
/// last requests answered on a thread read (`corsim oracle --jobs N` answers lines on N threads), so that nothing is
/// shared or locked.
package final class PerThread<Value: AnyObject>: Sendable {
  // (A key is a plain number, written once, by the initializer, and only read after.)
  private let key: pthread_key_t
  private let make: @Sendable () -> Value

  /// Objects made by `make`, one per thread.
  package init(_ make: @escaping @Sendable () -> Value) {
    var key = pthread_key_t()
    pthread_key_create(&key) { p in releaseThreadValue(p) }
    self.key = key
    self.make = make
  }

  /// This thread's object.
  package var value: Value {
    if let p = pthread_getspecific(key) { return Unmanaged<Value>.fromOpaque(p).takeUnretainedValue() }
    let made = make()
    pthread_setspecific(key, Unmanaged.passRetained(made).toOpaque())
    return made
  }
}

/// Lets a thread's object go when the thread ends. (A function rather than the body of the closure that calls it: the
/// pointer it is given is optional in Glibc's declaration and not in Darwin's.)
private func releaseThreadValue(_ p: UnsafeMutableRawPointer?) {
  if let p { Unmanaged<AnyObject>.fromOpaque(p).release() }
}
