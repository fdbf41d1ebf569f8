/// A small XML writer for the GeoReport v2 documents: UTF-8 with the XML declaration the
/// standard requires, no namespace, elements only, and every text escaped.
enum Open311XML {
    static func document(root: String, _ node: Open311Node) -> String {
        var out = #"<?xml version="1.0" encoding="utf-8"?>"#
        element(root, node, to: &out)
        return out
    }

    static func element(_ name: String, _ node: Open311Node, to out: inout String) {
        switch node {
        case .text(nil), .number(nil):
            out += "<\(name)/>"
        case .text(let s?):
            out += "<\(name)>\(escape(s))</\(name)>"
        case .number(let d?):
            out += d.isFinite ? "<\(name)>\(d)</\(name)>" : "<\(name)/>"
        case .integer(let i):
            out += "<\(name)>\(i)</\(name)>"
        case .bool(let b):
            out += "<\(name)>\(b ? "true" : "false")</\(name)>"
        case .list(let item, let items):
            out += "<\(name)>"
            for child in items { element(item, child, to: &out) }
            out += "</\(name)>"
        case .record(let fields):
            out += "<\(name)>"
            for (field, value) in fields { element(field, value, to: &out) }
            out += "</\(name)>"
        }
    }

    /// Character data safe inside an element: the five markup characters as entities,
    /// and characters that XML 1.0 does not allow at all (most C0 controls, U+FFFE,
    /// U+FFFF; https://www.w3.org/TR/xml/#charsets) replaced by U+FFFD, since even
    /// a character reference to them would make the document ill-formed.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            // A literal CR would be normalised away by the parser; keep it as a reference.
            case "\r": out += "&#13;"
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF:
                out += "\u{FFFD}"
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
