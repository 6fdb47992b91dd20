package pii

import (
	"errors"
	"strings"
	"unicode"
)

// Errors returned by ValidPhone. Their messages are for the user.
var (
	ErrPhoneEmpty        = errors.New("电话号码不能为空")
	ErrPhoneFormat       = errors.New("电话号码格式不正确，应为11位手机号码或“区号-号码”形式的固定电话，如010-12345678")
	ErrMobileLength      = errors.New("手机号码应为11位数字")
	ErrMobilePrefix      = errors.New("手机号码号段不正确，应以13至19开头")
	ErrLandlineFormat    = errors.New("固定电话应写作“区号-号码”，如010-12345678或0571-8888888，分机号可加在“-”后")
	ErrLandlineAreaCode  = errors.New("固定电话区号不正确")
	ErrLandlineNumber    = errors.New("固定电话号码应为7到8位数字（3位区号的城市为8位），且不以0开头")
	ErrLandlineExtension = errors.New("分机号应为1到6位数字")
)

// ValidPhone reports whether s is a mainland Chinese phone number in
// normalized form (see NormalizePhone). It accepts
//
//   - mobile numbers: 11 digits starting with 13 to 19, such as 13812345678;
//   - landlines: area code, hyphen, local number, optionally a hyphen and an
//     extension of up to 6 digits, such as 010-12345678, 0571-8888888 or
//     010-12345678-123. Three-digit area codes (010, 020 to 029) have
//     8-digit local numbers; four-digit ones (03xx to 09xx) have 7 or 8.
//     A local number never starts with 0.
//
// It returns nil or one of the ErrPhone, ErrMobile and ErrLandline errors.
func ValidPhone(s string) error {
	switch {
	case s == "":
		return ErrPhoneEmpty
	case s[0] == '1':
		return validMobile(s)
	case s[0] == '0':
		return validLandline(s)
	}
	return ErrPhoneFormat
}

func validMobile(s string) error {
	if len(s) != 11 || !isDigits(s) {
		return ErrMobileLength
	}
	if s[1] < '3' {
		return ErrMobilePrefix
	}
	return nil
}

func validLandline(s string) error {
	parts := strings.Split(s, "-")
	if len(parts) < 2 || len(parts) > 3 {
		return ErrLandlineFormat
	}
	area, number := parts[0], parts[1]
	if !isDigits(area) {
		return ErrLandlineFormat
	}
	switch {
	case len(area) == 3 && (area == "010" || area[1] == '2'):
		if len(number) != 8 {
			return ErrLandlineNumber
		}
	case len(area) == 4 && area[1] >= '3':
		if len(number) != 7 && len(number) != 8 {
			return ErrLandlineNumber
		}
	default:
		return ErrLandlineAreaCode
	}
	// A local number starting with 0 is an area code typed twice.
	if !isDigits(number) || number[0] == '0' {
		return ErrLandlineNumber
	}
	if len(parts) == 3 {
		if ext := parts[2]; !isDigits(ext) || len(ext) > 6 {
			return ErrLandlineExtension
		}
	}
	return nil
}

// NormalizePhone cleans up a phone number as typed or pasted: it removes
// white space, converts full-width digits, plus and hyphen to ASCII and,
// when what remains is a mobile number, drops its hyphens and a +86, 0086
// or 86 country prefix. Landline hyphens are kept, as they separate the
// area code. It does not validate; pass the result to ValidPhone.
func NormalizePhone(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return toHalfWidth(r)
	}, s)
	digits := strings.ReplaceAll(s, "-", "")
	// The empty prefix comes last so that 86 is stripped from 8613812345678
	// before the remainder is tested on its own.
	for _, prefix := range []string{"+86", "0086", "86", ""} {
		if rest, ok := strings.CutPrefix(digits, prefix); ok && len(rest) == 11 && rest[0] == '1' && isDigits(rest) {
			return rest
		}
	}
	return s
}
