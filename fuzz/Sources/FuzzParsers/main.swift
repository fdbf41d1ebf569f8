import Foundation
// SwiftPM renames an executable's entry point, so libFuzzer's own `main` is not used;
// this one hands control to libFuzzer's driver (LLVMFuzzerRunDriver, libFuzzer docs:
// "Using libFuzzer as a library") with the same command-line flags (-runs=N, corpus dirs).
// With FUZZ_LINEARITY=1 it runs the linearity check instead (Linearity.swift), from the
// same build: `make fuzz` runs both.

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

if ProcessInfo.processInfo.environment["FUZZ_LINEARITY"] == "1" {
    let size = Int(ProcessInfo.processInfo.environment["FUZZ_LINEARITY_BYTES"] ?? "") ?? 65_536
    exit(Linearity.run(size: size) ? 0 : 1)
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOne(data, size) }
exit(status)
