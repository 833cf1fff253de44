import Testing
@testable import CatalogCore

@Test func versionIsSemantic() {
    #expect(CatalogVersion.string.split(separator: ".").count == 3)
}
