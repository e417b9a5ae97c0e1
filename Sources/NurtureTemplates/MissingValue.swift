internal import Mustache

/// A name with no value: false in sections, and recorded (not silently empty) when written out.
struct MissingValue: MustacheParent, MustacheCustomRenderable, MustacheTransformable {
    let path: [String]
    let scope: RenderScope

    func child(named name: String) -> Any? {
        MissingValue(path: path + [name], scope: scope)
    }

    var renderText: String {
        scope.recordMissing(path)
        return ""
    }

    var isNull: Bool { true }

    func transform(_ name: String) -> Any? { self }
}
