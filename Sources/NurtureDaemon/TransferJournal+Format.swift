internal import Foundation
internal import NurtureCore
internal import NurtureSMTP

extension TransferJournal {
    /// The journal's first bytes: who wrote it. A journal is trusted at start-up only when it was written during
    /// the current boot for the same store file.
    package struct Identity: Sendable, Hashable {
        /// `/proc/sys/kernel/random/boot_id`: changes at every boot, so a journal from before a power loss is
        /// recognised.
        package var bootID: String
        /// The store file's device and inode: a replaced or restored store is another store.
        package var storeDevice: UInt64
        package var storeInode: UInt64

        package init(bootID: String, storeDevice: UInt64, storeInode: UInt64) {
            self.bootID = bootID
            self.storeDevice = storeDevice
            self.storeInode = storeInode
        }

        /// The identity of this boot and the store file at `storePath`; `nil` when either cannot be read
        /// (then the daemon runs without a journal and recovers conservatively).
        package static func current(storePath: String) -> Identity? {
            guard
                let boot = try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8)
                    .trimmingCharacters(in: .whitespacesAndNewlines), !boot.isEmpty,
                let attributes = try? FileManager.default.attributesOfItem(atPath: storePath),
                let device = (attributes[.systemNumber] as? NSNumber)?.uint64Value,
                let inode = (attributes[.systemFileNumber] as? NSNumber)?.uint64Value
            else { return nil }
            return Identity(bootID: boot, storeDevice: device, storeInode: inode)
        }
    }

    /// What a record says.
    enum Event: Equatable, Sendable {
        /// The body is about to go out (the relay answered `DATA` with `354`).
        case started
        /// The transfer ended with this outcome.
        case replied(DeliveryOutcome)
    }

    /// One event of one attempt of one send: a fixed-size record, written with a single `write(2)`.
    struct Record: Equatable, Sendable {
        var sendID: Int64
        /// The attempt number (the row's `attempts` + 1 at the claim).
        var attempt: Int
        var event: Event
        /// Milliseconds since 1970.
        var at: Int64
    }

    /// Layout. Header: magic, boot id, device, inode, checksum. Record: marker, event, attempt, send id, time,
    /// reply code, four length-prefixed strings (outcome kind, enhanced code, reply text, transport detail,
    /// each cut to fit), checksum. Integers little-endian; checksums FNV-1a over the bytes before them.
    enum Format {
        static let headerSize = 128
        static let recordSize = 256
        static let magic = Array("NRTJRNL1".utf8)
        static let recordMarker: UInt8 = 0x52
        /// Longest stored length of each string of a `replied` record, in bytes.
        static let stringLimits = [24, 16, 120, 56]

        static func header(_ identity: Identity) -> [UInt8] {
            var bytes = magic
            bytes += fixed(Array(identity.bootID.utf8), 40)
            bytes += little(identity.storeDevice)
            bytes += little(identity.storeInode)
            bytes += [UInt8](repeating: 0, count: headerSize - 4 - bytes.count)
            bytes += little(checksum(bytes))
            return bytes
        }

        /// The identity in `bytes` (a header), or `nil` when it is not an intact header.
        static func identity(_ bytes: ArraySlice<UInt8>) -> Identity? {
            let bytes = Array(bytes)
            guard bytes.count == headerSize, Array(bytes[0..<8]) == magic,
                UInt32(readLittle(bytes, headerSize - 4, 4)) == checksum(bytes[0..<(headerSize - 4)])
            else { return nil }
            let boot = String(decoding: bytes[8..<48].prefix { $0 != 0 }, as: UTF8.self)
            return Identity(
                bootID: boot, storeDevice: readLittle(bytes, 48, 8), storeInode: readLittle(bytes, 56, 8))
        }

        static func encode(_ record: Record) -> [UInt8] {
            var bytes: [UInt8] = [recordMarker]
            var code: Int32 = 0
            var strings: [String?] = [nil, nil, nil, nil]
            var phase: UInt8 = 0
            switch record.event {
            case .started:
                bytes.append(1)
            case .replied(let outcome):
                bytes.append(2)
                code = Int32(clamping: outcome.reply?.code ?? 0)
                phase = phaseByte(outcome.phase)
                strings = [
                    outcome.kind.rawValue, outcome.reply?.enhancedCode, outcome.reply?.text, outcome.transportDetail,
                ]
            }
            bytes += [phase, 0]
            bytes += little(UInt32(clamping: record.attempt))
            bytes += little(UInt64(bitPattern: record.sendID))
            bytes += little(UInt64(bitPattern: record.at))
            bytes += little(UInt32(bitPattern: code))
            for (string, limit) in zip(strings, stringLimits) {
                let utf8 = Array((string ?? "").utf8.prefix(limit))
                bytes.append(string == nil ? 0xFF : UInt8(utf8.count))
                bytes += utf8
            }
            bytes += [UInt8](repeating: 0, count: recordSize - 4 - bytes.count)
            bytes += little(checksum(bytes))
            return bytes
        }

        /// The record in `bytes`, or `nil` when it is damaged.
        static func decode(_ slice: ArraySlice<UInt8>) -> Record? {
            let bytes = Array(slice)
            guard bytes.count == recordSize, bytes[0] == recordMarker,
                UInt32(readLittle(bytes, recordSize - 4, 4)) == checksum(bytes[0..<(recordSize - 4)])
            else { return nil }
            let attempt = Int(readLittle(bytes, 4, 4))
            let sendID = Int64(bitPattern: readLittle(bytes, 8, 8))
            let at = Int64(bitPattern: readLittle(bytes, 16, 8))
            switch bytes[1] {
            case 1:
                return Record(sendID: sendID, attempt: attempt, event: .started, at: at)
            case 2:
                let code = Int(Int32(bitPattern: UInt32(readLittle(bytes, 24, 4))))
                var strings: [String?] = []
                var offset = 28
                for limit in stringLimits {
                    let length = bytes[offset]
                    offset += 1
                    if length == 0xFF {
                        strings.append(nil)
                        continue
                    }
                    guard Int(length) <= limit, offset + Int(length) <= recordSize - 4 else { return nil }
                    strings.append(String(decoding: bytes[offset..<(offset + Int(length))], as: UTF8.self))
                    offset += Int(length)
                }
                // A kind this version does not know is treated as a lost reply: the body may have gone out.
                let kind = strings[0].flatMap(DeliveryOutcome.Kind.init(rawValue:)) ?? .unknown
                let reply = code > 0 ? SMTPReply(code: code, enhancedCode: strings[1], text: strings[2] ?? "") : nil
                return Record(
                    sendID: sendID, attempt: attempt,
                    event: .replied(
                        DeliveryOutcome(
                            kind: kind, reply: reply, transportDetail: strings[3], phase: phase(bytes[2]))),
                    at: at)
            default:
                return nil
            }
        }

        /// The SMTP phase of a reply as one byte of a `replied` record: 0 when unknown, else its place in
        /// ``SMTPPhase/allCases`` plus one (the byte was padding before phases were recorded, so older records read
        /// as unknown).
        static func phaseByte(_ phase: SMTPPhase?) -> UInt8 {
            guard let phase, let index = SMTPPhase.allCases.firstIndex(of: phase) else { return 0 }
            return UInt8(SMTPPhase.allCases.distance(from: SMTPPhase.allCases.startIndex, to: index) + 1)
        }

        /// The phase a `replied` record's phase byte names, or `nil`.
        static func phase(_ byte: UInt8) -> SMTPPhase? {
            let index = Int(byte) - 1
            return SMTPPhase.allCases.indices.contains(index) ? SMTPPhase.allCases[index] : nil
        }

        private static func fixed(_ bytes: [UInt8], _ count: Int) -> [UInt8] {
            Array(bytes.prefix(count)) + [UInt8](repeating: 0, count: max(0, count - bytes.count))
        }

        private static func little<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
            withUnsafeBytes(of: value.littleEndian) { Array($0) }
        }

        private static func readLittle(_ bytes: [UInt8], _ offset: Int, _ count: Int) -> UInt64 {
            var value: UInt64 = 0
            for index in (0..<count).reversed() { value = value << 8 | UInt64(bytes[offset + index]) }
            return value
        }

        static func checksum<C: Collection>(_ bytes: C) -> UInt32 where C.Element == UInt8 {
            var hash: UInt32 = 0x811C_9DC5
            for byte in bytes {
                hash ^= UInt32(byte)
                hash = hash &* 0x0100_0193
            }
            return hash
        }
    }
}
