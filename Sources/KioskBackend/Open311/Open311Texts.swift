/// The words of the Open311 service definitions in the city's languages, the same
/// wording as the website form (`Static/assets/i18n`). English where a language is missing.
enum Open311Texts {
    typealias Text = [String: String]

    static func pick(_ text: Text, _ language: String) -> String {
        text[language] ?? text["en"] ?? ""
    }

    static let otherInCategory: Text = [
        "nl": "Iets anders, of u weet niet welke", "fr": "Autre chose, ou vous ne savez pas lequel",
        "en": "Something else, or you do not know which", "de": "Etwas anderes, oder Sie wissen nicht welches",
    ]

    static let district: Text = [
        "nl": "Wijk. Kies de wijk als u die kent.", "fr": "Quartier. Choisissez le quartier si vous le connaissez.",
        "en": "District. Choose the district if you know it.", "de": "Stadtteil. Wählen Sie den Stadtteil, wenn Sie ihn kennen.",
    ]

    static let language: Text = [
        "nl": "In welke taal wilt u ons antwoord?", "fr": "Dans quelle langue souhaitez-vous notre réponse ?",
        "en": "In which language would you like our answer?", "de": "In welcher Sprache möchten Sie unsere Antwort?",
    ]

    /// Each language's name in itself, so anyone finds their own.
    static let languageNames: Text = [
        "nl": "Nederlands", "fr": "Français", "en": "English", "de": "Deutsch",
    ]

    static let contactBy: Text = [
        "nl": "Hoe mogen we u over deze melding contacteren? Alleen de gegevens die u aanvinkt, bewaren we.",
        "fr": "Comment pouvons-nous vous contacter au sujet de ce signalement ? Nous ne gardons que les coordonnées cochées.",
        "en": "How may we contact you about this report? We keep only the details you tick.",
        "de": "Wie dürfen wir Sie zu dieser Meldung kontaktieren? Wir speichern nur die angekreuzten Angaben.",
    ]

    static let contactEmail: Text = ["nl": "E-mail", "fr": "E-mail", "en": "E-mail", "de": "E-Mail"]
    static let contactPhone: Text = ["nl": "Telefoon", "fr": "Téléphone", "en": "Phone", "de": "Telefon"]

    static let experienceQuestion: Text = [
        "nl": "Welke gevolgen heeft dit voor u? Niet verplicht.",
        "fr": "Quelles conséquences cela a-t-il pour vous ? Facultatif.",
        "en": "How much does this affect you? Optional.",
        "de": "Welche Folgen hat das für Sie? Freiwillig.",
    ]

    static let experience: [Text] = [
        ["nl": "Geen gevolgen voor mij", "fr": "Aucune conséquence pour moi", "en": "No impact on me", "de": "Keine Folgen für mich"],
        ["nl": "Kleine gevolgen", "fr": "De petites conséquences", "en": "A small impact", "de": "Kleine Folgen"],
        ["nl": "Merkbare gevolgen", "fr": "Des conséquences sensibles", "en": "A noticeable impact", "de": "Spürbare Folgen"],
        ["nl": "Grote gevolgen", "fr": "De grandes conséquences", "en": "A large impact", "de": "Große Folgen"],
        ["nl": "Zeer grote gevolgen", "fr": "De très grandes conséquences", "en": "A very large impact", "de": "Sehr große Folgen"],
    ]

    /// `%@` is the external party's name.
    static let consentForward: Text = [
        "nl": "Dit kan een zaak zijn voor %@. Mogen we uw melding aan hen doorgeven?",
        "fr": "Cela peut relever de %@. Pouvons-nous leur transmettre votre signalement ?",
        "en": "This may be a matter for %@. May we pass your report on to them?",
        "de": "Das kann eine Sache für %@ sein. Dürfen wir Ihre Meldung an sie weitergeben?",
    ]

    static let yes: Text = ["nl": "Ja", "fr": "Oui", "en": "Yes", "de": "Ja"]
    static let no: Text = ["nl": "Nee", "fr": "Non", "en": "No", "de": "Nein"]

    /// `%@` is the external party's name, then how to reach it.
    static let externalNotice: Text = [
        "nl": "Dit kan een zaak zijn voor %@. U kunt hen ook rechtstreeks bereiken: %@.",
        "fr": "Cela peut relever de %@. Vous pouvez aussi les joindre directement : %@.",
        "en": "This may be a matter for %@. You can also reach them directly: %@.",
        "de": "Das kann eine Sache für %@ sein. Sie erreichen sie auch direkt: %@.",
    ]

    /// Fills the `%@` placeholders in order.
    static func format(_ template: String, _ args: String...) -> String {
        var out = ""
        var rest = Substring(template)
        for arg in args {
            guard let r = rest.range(of: "%@") else { break }
            out += rest[..<r.lowerBound] + arg
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}
