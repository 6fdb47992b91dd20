package password

import "strings"

// commonPasswords lists, one per line in lower case, passwords that top
// leaked-password lists and default-credential lists in Chinese government
// and enterprise systems. Most satisfy the class rules, which is exactly why
// they are listed: attackers try them first. Check compares case-folded, so
// "Admin@123" and "admin@123" are both refused.
const commonPasswords = `
password
password1
password1!
password@123
p@ssw0rd
p@ssword
p@ssword1
passw0rd
passw0rd!
admin123
admin123!
admin@123
admin@1234
admin@123456
admin12345
admin123456
admin@2023
admin@2024
admin@2025
root@123
root@1234
test@123
test1234
aa123456
aa123456!
aa123456.
aa@123456
ab123456
abc123456
abc@123
abc@1234
abc@123456
abcd1234
abcd@1234
abc123!@#
qwe123!@#
qwer1234
qwer@1234
qwerty123
qwerty123!
qq123456
zz123456
123456aa
1qaz@wsx
1qaz!qaz
1qaz2wsx
1qaz2wsx3edc
1q2w3e4r
1q2w3e4r5t
asdf1234
zxcv1234
huawei@123
sangfor@123
welcome1!
welcome@123
changeme1!
woaini1314
woaini@1314
5201314a
a5201314
iloveyou
12345678
123456789
1234567890
88888888
11111111
`

// isCommon reports whether folded (a lower-cased password) is in
// commonPasswords.
func isCommon(folded string) bool {
	// Fields, not Lines: the list's leading newline must not match "".
	for common := range strings.FieldsSeq(commonPasswords) {
		if common == folded {
			return true
		}
	}
	return false
}
