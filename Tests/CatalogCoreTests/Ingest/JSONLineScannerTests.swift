import Foundation
import Testing
@testable import CatalogCore

extension Ingest {
    @Suite struct JSONLineScannerTests {
        func scan(
            _ line: String, mapping: JSONFieldMapping = JSONFieldMapping(), bom: Bool = false
        ) -> Result<ScannedRecord, JSONLineError> {
            scanBytes(Array(line.utf8), mapping: mapping, bom: bom)
        }

        func scanBytes(
            _ line: [UInt8], mapping: JSONFieldMapping = JSONFieldMapping(), bom: Bool = false
        ) -> Result<ScannedRecord, JSONLineError> {
            let scanner = JSONLineScanner(mapping: mapping)
            return Result { () throws(JSONLineError) in try scanner.scan(line, allowingByteOrderMark: bom) }
        }

        func error(_ line: String, mapping: JSONFieldMapping = JSONFieldMapping()) -> JSONLineError? {
            if case .failure(let error) = scan(line, mapping: mapping) { return error }
            return nil
        }

        func metadata(_ record: ScannedRecord) -> String? {
            record.metadataJSON.map { String(decoding: $0, as: UTF8.self) }
        }

        // MARK: Peeking at one field

        @Test(arguments: [
            (#"{"text": "a \"quoted\" text", "source": "web"}"#, "web"),
            (#"{"source": "a\u00e9b", "text": "x"}"#, "aéb"),
            (#"{"source": "first", "meta": {"source": "nested"}, "source": "last"}"#, "last"),
            (#"  {"n": [1, {"source": 2}], "source" : "spaced" }"#, "spaced"),
        ])
        func peekFindsTheLastTopLevelString(line: String, expected: String) {
            let scanner = JSONLineScanner()
            let found = Array(line.utf8).withUnsafeBytes { scanner.peekString(Array("source".utf8), in: $0) }
            #expect(found == expected)
            let fromEnd = Array(line.utf8).withUnsafeBytes { scanner.peekStringFromEnd(Array("source".utf8), in: $0) }
            #expect(fromEnd == expected)
        }

        @Test(arguments: [
            #"{"text": "x"}"#, #"{"source": 3, "text": "x"}"#, #"{"sour\u0063e": "escaped key"}"#,
            #"{"source": "web", "text": "unterminated}"#, #"["source", "web"]"#, "",
        ])
        func peekGivesNilWithoutAPlainTopLevelString(line: String) {
            let scanner = JSONLineScanner()
            #expect(Array(line.utf8).withUnsafeBytes { scanner.peekString(Array("source".utf8), in: $0) } == nil)
            #expect(Array(line.utf8).withUnsafeBytes { scanner.peekStringFromEnd(Array("source".utf8), in: $0) } == nil)
        }

        @Test(arguments: [
            // Quotes after backslashes: escaped after an odd number, closing after an even one.
            (#"{"source": "a\\", "text": "b\\\\\"c\\\\"}"#, .string(openingQuote: 11)),
            (#"{"text": "x", "source": "\"}\""}"#, .string(openingQuote: 24)),
            (#"{"source": {"a": ["}", "\"]"], "b": {}}}"#, .notString),
            (#"{"source": -1.5e3 }"#, .notString),
            (#"{"a": true, "b": null}"#, .absent),
            (" { } ", .absent),
            (#"{"source": "x"} trailing"#, .unknown),
            (#"["source", "x"]"#, .unknown),
            (#"{"source" "x"}"#, .unknown),
            // Not validated: what precedes the member found does not matter.
            (#"x{"source": "y"}"#, .string(openingQuote: 12)),
        ] as [(String, JSONLineTailPeek.Finding)])
        func backwardWalkFindsMembersFromTheEnd(line: String, expected: JSONLineTailPeek.Finding) {
            let found = Array(line.utf8).withUnsafeBufferPointer { bytes in
                Array("source".utf8).withUnsafeBufferPointer { key in
                    JSONLineTailPeek(base: bytes.baseAddress!, count: bytes.count).find(key)
                }
            }
            #expect(found == expected)
        }

        /// Random well-formed lines (nested values, escapes, repeated and escaped keys, spacing):
        /// the backward peek answers exactly as the forward one.
        @Test func backwardPeekAgreesWithForwardPeekOnWellFormedLines() {
            var generator = SeededGenerator(seed: 0x5EED_7A11)
            let scanner = JSONLineScanner()
            let key = Array("source".utf8)
            var found = 0
            for _ in 0..<3_000 {
                let line = Array(RandomJSONLine.object(using: &generator).utf8)
                let forward = line.withUnsafeBytes { scanner.peekString(key, in: $0) }
                let backward = line.withUnsafeBytes { scanner.peekStringFromEnd(key, in: $0) }
                #expect(forward == backward, "\(String(decoding: line, as: UTF8.self))")
                if forward != nil { found += 1 }
            }
            // Both outcomes are exercised.
            #expect(found > 500 && found < 2_500)
        }

        // MARK: Extraction

        @Test func extractsTextIdAndKeepsOtherMembersVerbatim() throws {
            let line = #"{"id": "doc-1", "text": "hello", "url": "https://x.org/a?b=1", "meta": {"text": "nested", "n": 1e400, "big": 123456789012345678901234567890}}"#
            let record = try scan(line).get()
            #expect(record.textString == "hello")
            #expect(record.id == "doc-1")
            #expect(metadata(record) == #"{"url":"https://x.org/a?b=1","meta":{"text": "nested", "n": 1e400, "big": 123456789012345678901234567890}}"#)
            #expect(record.repairs == 0)
            #expect(record.warning == nil)
        }

        @Test func metadataIsNilWithoutOtherMembers() throws {
            let record = try scan(#"{"text":"t","id":"x"}"#).get()
            #expect(record.metadataJSON == nil)
        }

        @Test func keepsWhitespaceInsideMetadataValues() throws {
            let record = try scan(#"{ "text" : "t" , "meta" : { "a" : [1, 2] } , "s":"x\"y" } "#).get()
            #expect(metadata(record) == #"{"meta":{ "a" : [1, 2] },"s":"x\"y"}"#)
        }

        @Test func decodesEveryEscape() throws {
            let line = #"{"text":"a\"b\\c\/d\b\f\n\r\t\u00e9\u4E2D\ud83d\ude00\u0041"}"#
            let record = try scan(line).get()
            #expect(record.textString == "a\"b\\c/d\u{8}\u{C}\n\r\té中😀A")
            #expect(record.repairs == 0)
        }

        @Test func passesRawUTF8Through() throws {
            let record = try scan(#"{"text":"Grüße, 世界 🚀"}"#).get()
            #expect(record.textString == "Grüße, 世界 🚀")
        }

        @Test func replacesLoneAndReversedSurrogatesAndWarns() throws {
            let record = try scan(#"{"text":"x\ud800y\udc00z\udc00\ud800!"}"#).get()
            #expect(record.textString == "x\u{FFFD}y\u{FFFD}z\u{FFFD}\u{FFFD}!")
            #expect(record.repairs == 4)
            #expect(record.warning == JSONLineWarning(replacedSurrogates: 4, firstColumn: 11))
            #expect(
                record.warning?.description == "replaced 4 lone surrogate escapes with U+FFFD (first at column 11)")
        }

        @Test func highSurrogateAtEndOfStringIsRepaired() throws {
            let record = try scan(#"{"text":"ab\uD83D"}"#).get()
            #expect(record.textString == "ab\u{FFFD}")
            #expect(record.repairs == 1)
        }

        @Test func explicitReplacementCharacterIsNotARepair() throws {
            let record = try scan(#"{"text":"\ufffd"}"#).get()
            #expect(record.textString == "\u{FFFD}")
            #expect(record.repairs == 0)
        }

        @Test func surrogatesInMetadataStayVerbatim() throws {
            let record = try scan(#"{"text":"t","m":"\ud800"}"#).get()
            #expect(metadata(record) == #"{"m":"\ud800"}"#)
            #expect(record.repairs == 0)
        }

        @Test func idMayBeAnInteger() throws {
            #expect(try scan(#"{"id": 12345, "text":"t"}"#).get().id == "12345")
            #expect(try scan(#"{"id": -7, "text":"t"}"#).get().id == "-7")
            #expect(throws: JSONLineError.self) { try scan(#"{"id": "", "text":"t"}"#).get() }
            #expect(try scan(#"{"text":"t"}"#).get().id == nil)
        }

        @Test func idOfAnotherTypeIsAnError() {
            let fraction = error(#"{"id": 1.5, "text":"t"}"#)
            #expect(fraction == .idNotStringOrInteger(field: "id", found: "the number 1.5", column: 8))
            #expect(fraction?.description == #"field "id" must be a non-empty string or an integer, found the number 1.5 at column 8"#)
            #expect(error(#"{"id":true,"text":"t"}"#)?.description == #"field "id" must be a non-empty string or an integer, found a boolean at column 7"#)
            #expect(error(#"{"id":null,"text":"t"}"#) == .idNotStringOrInteger(field: "id", found: "null", column: 7))
            #expect(error(#"{"id":{"a":1},"text":"t"}"#) == .idNotStringOrInteger(field: "id", found: "an object", column: 7))
        }

        @Test func qualityFromNumberOrNumericString() throws {
            let mapping = JSONFieldMapping(qualityField: "q")
            #expect(try scan(#"{"text":"t","q":"0.75"}"#, mapping: mapping).get().quality == 0.75)
            #expect(try scan(#"{"text":"t","q":" 2 "}"#, mapping: mapping).get().quality == 2)
            #expect(try scan(#"{"text":"t","q":-1.5e-1}"#, mapping: mapping).get().quality == -0.15)
            #expect(try scan(#"{"text":"t","q":null}"#, mapping: mapping).get().quality == nil)
            #expect(
                error(#"{"text":"t","q":"high"}"#, mapping: mapping)
                    == .qualityNotNumber(field: "q", found: #"the string "high""#, column: 17))
            #expect(
                error(#"{"text":"t","q":1e400}"#, mapping: mapping)?.description
                    == #"field "q" must be a finite number or numeric string, found the number 1e400, out of range at column 17"#)
            #expect(error(#"{"text":"t","q":"nan"}"#, mapping: mapping) != nil)
            #expect(error(#"{"text":"t","q":[1]}"#, mapping: mapping) == .qualityNotNumber(field: "q", found: "an array", column: 17))
        }

        @Test func mapsSourceDomainAndLang() throws {
            let mapping = JSONFieldMapping(textField: "body", idField: "key", sourceField: "src", domainField: "src", langField: "lang")
            let record = try scan(#"{"key":"k","body":"b","src":"web","lang":null,"other":1}"#, mapping: mapping).get()
            #expect(record.textString == "b")
            #expect(record.id == "k")
            #expect(record.source == "web")
            #expect(record.domain == "web")
            #expect(record.lang == nil)
            #expect(metadata(record) == #"{"other":1}"#)
            #expect(
                error(#"{"body":"b","src":3}"#, mapping: mapping)
                    == .fieldNotString(field: "src", found: .number, column: 19))
        }

        @Test func unmappedKeysLikeSourceStayInMetadata() throws {
            let record = try scan(#"{"text":"t","source":"s","domain":"d"}"#).get()
            #expect(record.source == nil)
            #expect(metadata(record) == #"{"source":"s","domain":"d"}"#)
        }

        @Test func onlyTopLevelMembersAreMapped() {
            #expect(error(#"{"meta":{"text":"nested"},"id":"x"}"#) == .missingTextField(field: "text"))
            #expect(
                error(#"{"meta":{"text":"nested"}}"#)?.description
                    == #"no "text" field in the object; name the text field with --text-field"#)
        }

        @Test func duplicateKeysLastWins() throws {
            let record = try scan(#"{"text":"first","k":1,"text":"second","k":[2],"j":0}"#).get()
            #expect(record.textString == "second")
            #expect(metadata(record) == #"{"k":[2],"j":0}"#)
        }

        @Test func duplicateKeysLastWinsWithManyMembers() throws {
            let members = (0..<40).map { #""k\#($0)":\#($0)"# }.joined(separator: ",")
            let record = try scan(#"{"text":"t",\#(members),"k3":"again","k39":"last"}"#).get()
            let expected = (0..<39).filter { $0 != 3 }.map { #""k\#($0)":\#($0)"# }.joined(separator: ",")
            #expect(metadata(record) == #"{\#(expected),"k3":"again","k39":"last"}"#)
        }

        @Test func escapedKeyMatchesMappedField() throws {
            #expect(try scan(#"{"t\u0065xt":"hi"}"#).get().textString == "hi")
        }

        @Test func recordIsReusedAcrossLines() throws {
            let scanner = JSONLineScanner()
            var record = ScannedRecord()
            try Array(#"{"id":"a","text":"first","m":1}"#.utf8).withUnsafeBytes { try scanner.scan($0, into: &record) }
            try Array(#"{"text":"second"}"#.utf8).withUnsafeBytes { try scanner.scan($0, into: &record) }
            #expect(record.textString == "second")
            #expect(record.id == nil)
            #expect(record.metadataJSON == nil)
        }

        @Test func toleratesTrailingWhitespaceAndCarriageReturn() throws {
            #expect(try scan("{\"text\":\"a\"} \t\r").get().textString == "a")
        }

        @Test func byteOrderMarkOnlyWhenAllowed() throws {
            let line = "\u{FEFF}{\"text\":\"a\"}"
            #expect(try scan(line, bom: true).get().textString == "a")
            #expect(
                error(line) == .malformed(expected: "'{' starting a JSON object", found: "a byte order mark (U+FEFF)", column: 1))
        }

        // MARK: Errors

        @Test func blankLine() {
            #expect(error("") == .blankLine)
            #expect(error("  \t") == .blankLine)
        }

        @Test func notAnObject() {
            #expect(error("[1,2]") == .notAnObject(found: .array, column: 1))
            #expect(error(#"  "text""#) == .notAnObject(found: .string, column: 3))
            #expect(
                error("42")?.description
                    == #"line is a number, not a JSON object (column 1); each line must be one object like {"text": "..."}"#)
            #expect(error("hello") == .malformed(expected: "'{' starting a JSON object", found: "'h'", column: 1))
        }

        @Test func malformedSaysWhatWasExpected() {
            #expect(error(#"{"text":"a",}"#) == .malformed(expected: "a string key", found: "'}'", column: 13))
            #expect(error(#"{"text" "a"}"#) == .malformed(expected: "':' after the key", found: "'\"'", column: 9))
            #expect(error(#"{"text":"abc"#) == .malformed(expected: "'\"' closing the string", found: "end of line", column: 13))
            #expect(error(#"{"text":"a""#) == .malformed(expected: "',' or '}'", found: "end of line", column: 12))
            #expect(error(#"{text:"a"}"#) == .malformed(expected: "a string key", found: "'t'", column: 2))
            #expect(
                error(#"{"text":"a" "m":1}"#)?.description == "malformed JSON at column 13: expected ',' or '}', found '\"'")
            #expect(error(#"{"text":"t","m":[1,]}"#) == .malformed(expected: "a value", found: "']'", column: 20))
            #expect(error(#"{"text":"t","m":[1 2]}"#) == .malformed(expected: "',' or ']'", found: "'2'", column: 20))
            #expect(error(#"{"text":"t","m":{"a" 1}}"#) == .malformed(expected: "':' after the key", found: "'1'", column: 22))
        }

        @Test func numbersAreStrict() {
            #expect(error(#"{"text":"t","n":01}"#) == .malformed(expected: "',' or '}'", found: "'1'", column: 18))
            #expect(error(#"{"text":"t","n":-}"#) == .malformed(expected: "a digit", found: "'}'", column: 18))
            #expect(error(#"{"text":"t","n":1.}"#) == .malformed(expected: "a digit after '.'", found: "'}'", column: 19))
            #expect(error(#"{"text":"t","n":1e+}"#) == .malformed(expected: "a digit in the exponent", found: "'}'", column: 20))
            #expect(error(#"{"text":"t","n":.5}"#) == .malformed(expected: "a value", found: "'.'", column: 17))
            #expect(error(#"{"text":"t","n":[-0.5e+10,0,1E400,-0]}"#) == nil)
        }

        @Test func literalsAreStrict() {
            #expect(error(#"{"text":"t","b":tru}"#) == .malformed(expected: "'true'", found: "'}'", column: 20))
            #expect(error(#"{"text":"t","b":nul,"c":1}"#) == .malformed(expected: "'null'", found: "','", column: 20))
            #expect(error(#"{"text":"t","b":[true,false,null]}"#) == nil)
        }

        @Test func textMustBeAString() {
            #expect(error(#"{"text": null}"#) == .textNotString(field: "text", found: .null, column: 10))
            #expect(error(#"{"text": null}"#)?.description == #"field "text" must be a string, found null at column 10"#)
            #expect(error(#"{"text":["a"]}"#) == .textNotString(field: "text", found: .array, column: 9))
            #expect(error(#"{"text":12}"#) == .textNotString(field: "text", found: .number, column: 9))
        }

        @Test func textMustNotBeBlank() {
            #expect(error(#"{"text":""}"#) == .emptyText(field: "text", column: 9))
            #expect(error(#"{"text":" \n\t\r "}"#) == .emptyText(field: "text", column: 9))
            #expect(error(#"{"text":""}"#)?.description == #"field "text" is empty or only whitespace (column 9)"#)
        }

        @Test func rejectsInvalidUTF8AnywhereWithItsColumn() {
            func bytesError(_ bytes: [UInt8]) -> JSONLineError? {
                if case .failure(let e) = scanBytes(bytes) { return e }
                return nil
            }
            let prefix = Array(#"{"text":"a"#.utf8)
            let suffix = Array(#""}"#.utf8)
            #expect(bytesError(prefix + [0xFF] + suffix) == .invalidUTF8(byte: 0xFF, column: 11))
            #expect(bytesError(prefix + [0xC0, 0x80] + suffix) == .invalidUTF8(byte: 0xC0, column: 11))  // overlong NUL
            #expect(bytesError(prefix + [0xED, 0xA0, 0x80] + suffix) == .invalidUTF8(byte: 0xED, column: 11))  // UTF-8 surrogate
            #expect(bytesError(prefix + [0xE4, 0xB8] + suffix) == .invalidUTF8(byte: 0xE4, column: 11))  // truncated
            #expect(bytesError(prefix + [0xF4, 0x90, 0x80, 0x80] + suffix) == .invalidUTF8(byte: 0xF4, column: 11))  // > U+10FFFF
            let inMetadata = Array("{\"text\":\"ok\",\"m\":{\"k\":\"".utf8) + [0x80] + Array(#""}}"#.utf8)
            #expect(bytesError(inMetadata) == .invalidUTF8(byte: 0x80, column: 24))
            #expect(
                bytesError(prefix + [0xFF] + suffix)?.description
                    == "invalid UTF-8 at column 11 (byte 0xFF); re-encode the file as UTF-8")
            // Far into a long line, past the 16-byte fast path.
            let long = Array(#"{"text":""#.utf8) + [UInt8](repeating: 0x61, count: 1000) + [0xFE] + suffix
            #expect(bytesError(long) == .invalidUTF8(byte: 0xFE, column: 1010))
        }

        @Test func rejectsRawControlCharacters() {
            #expect(error("{\"text\":\"a\tb\"}") == .controlCharacterInString(byte: 0x09, column: 11))
            #expect(error("{\"text\":\"ok\",\"m\":\"\u{1}\"}") == .controlCharacterInString(byte: 0x01, column: 19))
            #expect(
                error("{\"text\":\"a\tb\"}")?.description
                    == #"raw control character 0x09 in a string at column 11; JSON requires it escaped (\n, \t, \u00XX)"#)
            let long = "{\"text\":\"" + String(repeating: "x", count: 37) + "\n\"}"
            #expect(error(long) == .controlCharacterInString(byte: 0x0A, column: 47))
        }

        @Test func rejectsBadEscapes() {
            #expect(error(#"{"text":"a\x41"}"#) == .badEscape(sequence: #"'\x'"#, column: 11))
            #expect(error(#"{"text":"a\u12G4"}"#) == .badEscape(sequence: #"'\u12G4'"#, column: 11))
            #expect(error(#"{"text":"a\u12"}"#) == .badEscape(sequence: #"'\u12'"#, column: 11))
            #expect(error(#"{"text":"ok","m":"\q"}"#) == .badEscape(sequence: #"'\q'"#, column: 19))
            #expect(
                error(#"{"text":"a\x41"}"#)?.description
                    == #"invalid escape '\x' at column 11; JSON allows \" \\ \/ \b \f \n \r \t and \uXXXX"#)
        }

        @Test func rejectsTrailingGarbage() {
            #expect(error(#"{"text":"a"} x"#) == .trailingCharacters(found: "'x'", column: 14))
            #expect(error(#"{"text":"a"}{}"#) == .trailingCharacters(found: "'{'", column: 13))
            #expect(error(#"{"text":"a"}é"#) == .trailingCharacters(found: "'é'", column: 13))
            #expect(
                error(#"{"text":"a"},"#)?.description
                    == "unexpected ',' after the JSON object at column 13; put exactly one object on each line")
        }

        @Test func limitsNesting() {
            func nested(_ depth: Int) -> String {
                #"{"m":"# + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + #","text":"t"}"#
            }
            #expect(error(nested(JSONLineScanner.maximumDepth - 1)) == nil)
            #expect(error(nested(JSONLineScanner.maximumDepth)) == .nestingTooDeep(limit: 512, column: 517))
            #expect(error(nested(100_000)) == .nestingTooDeep(limit: 512, column: 517))
        }

        // MARK: Oracle

        @Test func decodesLikeFoundationOnRandomStrings() throws {
            // Scalars chosen to hit every branch: quotes, backslashes, controls, multi-byte, emoji.
            let alphabet: [Unicode.Scalar] = ["a", "b", " ", "\"", "\\", "/", "\n", "\t", "\u{1}", "\u{1F}", "\u{7F}",
                                              "é", "中", "\u{FEFF}", "😀", "\u{10FFFF}", "\u{FFFD}"]
            var generator = SeededGenerator(seed: 42)
            let scanner = JSONLineScanner(mapping: JSONFieldMapping(sourceField: "s"))
            for _ in 0..<500 {
                let length = Int(generator.next() % 80)
                var text = "x"
                for _ in 0..<length { text.unicodeScalars.append(alphabet[Int(generator.next() % UInt64(alphabet.count))]) }
                let object: [String: String] = ["text": text, "s": text, "other": text]
                let line = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
                let record = try scanner.scan(Array(line))
                #expect(record.textString == text)
                #expect(record.source == text)
                // JSONDecoder, not JSONSerialization: the latter drops U+FEFF after an escape on Linux.
                let metadataObject = try JSONDecoder().decode([String: String].self, from: Data(record.metadataJSON ?? []))
                #expect(metadataObject == ["other": text])
            }
        }
    }
}

