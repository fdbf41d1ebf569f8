import Domain

/// Why a report's `from`/`to` days were refused: the first bad query field (`from` or `to`)
/// and what is wrong, in English, without the field's name.
public typealias DayRangeError = FieldError
