package validators

import (
	"slices"
	"strconv"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

// libraryPhoneTypes maps the library's number types to the plan's.
var libraryPhoneTypes = map[phonenumbers.PhoneNumberType]phoneType{
	phonenumbers.UNKNOWN:              phoneTypeUnknown,
	phonenumbers.FIXED_LINE:           phoneTypeFixedLine,
	phonenumbers.MOBILE:               phoneTypeMobile,
	phonenumbers.FIXED_LINE_OR_MOBILE: phoneTypeFixedLineOrMobile,
	phonenumbers.TOLL_FREE:            phoneTypeTollFree,
	phonenumbers.PREMIUM_RATE:         phoneTypePremiumRate,
	phonenumbers.SHARED_COST:          phoneTypeSharedCost,
	phonenumbers.VOIP:                 phoneTypeVoIP,
	phonenumbers.PERSONAL_NUMBER:      phoneTypePersonalNumber,
	phonenumbers.PAGER:                phoneTypePager,
	phonenumbers.UAN:                  phoneTypeUAN,
	phonenumbers.VOICEMAIL:            phoneTypeVoicemail,
}

// libraryPhoneLengths maps the library's length verdicts to the plan's.
var libraryPhoneLengths = map[phonenumbers.ValidationResult]phoneLength{
	phonenumbers.IS_POSSIBLE:            phoneLengthPossible,
	phonenumbers.IS_POSSIBLE_LOCAL_ONLY: phoneLengthPossibleLocalOnly,
	phonenumbers.TOO_SHORT:              phoneLengthTooShort,
	phonenumbers.TOO_LONG:               phoneLengthTooLong,
	phonenumbers.INVALID_LENGTH:         phoneLengthInvalid,
}

// Every country calling code from 1 to 999 exists in the plans exactly when
// it does in the library, with the same regions in the same order (the
// first is the main region).
func TestPhonePlanCountryCodes(t *testing.T) {
	codes := 0
	for n := 1; n <= 999; n++ {
		cc := strconv.Itoa(n)
		want := phonenumbers.GetRegionCodesForCountryCode(n)
		plan := phonePlanFor(cc)
		if (plan != nil) != (len(want) > 0) {
			t.Errorf("country code %s: in the plans %v, in the library %v", cc, plan != nil, len(want) > 0)
			continue
		}
		if plan == nil {
			continue
		}
		codes++
		if got := plan.regionIDs(); !slices.Equal(got, want) {
			t.Errorf("country code %s: regions %v, the library has %v", cc, got, want)
		}
	}
	if codes != len(phonenumbers.GetSupportedCallingCodes()) {
		t.Errorf("%d country codes in the plans, the library supports %d", codes, len(phonenumbers.GetSupportedCallingCodes()))
	}
	for _, cc := range []string{"", "0", "01", "1000", "+1", "1a"} {
		if phonePlanFor(cc) != nil {
			t.Errorf("phonePlanFor(%q) found a plan", cc)
		}
	}
}

// The plans answer each question the checks ask as the library does, for
// every country code: numbers around the example numbers of every region and
// type, with trunk prefixes, cut short, made longer, each digit changed, and
// random digit strings of every length.
func TestPhonePlanAgreesWithLibrary(t *testing.T) {
	perRegion := 200
	if testing.Short() {
		perRegion = 20
	}
	samples := phoneSamples(20261202, perRegion)
	var parsed, valid, mobile int
	for _, s := range samples {
		plan := phonePlanFor(s.cc)
		nsn, ok := plan.parse(s.nat)

		num, err := phonenumbers.Parse("+"+s.cc+s.nat, "ZZ")
		libOK := err == nil && strconv.Itoa(int(num.GetCountryCode())) == s.cc
		if ok != libOK {
			t.Errorf("+%s %s: parse ok %v, the library %v (%v)", s.cc, s.nat, ok, libOK, err)
			continue
		}
		if !ok {
			continue
		}
		parsed++
		if libNSN := phonenumbers.GetNationalSignificantNumber(num); nsn != libNSN {
			t.Errorf("+%s %s: national number %q, the library %q", s.cc, s.nat, nsn, libNSN)
			continue
		}
		if got, want := plan.possible(nsn), libraryPhoneLengths[phonenumbers.IsPossibleNumberWithReason(num)]; got != want {
			t.Errorf("+%s %s: length verdict %d, the library %d", s.cc, s.nat, got, want)
		}
		got, want := plan.numberType(nsn), libraryPhoneTypes[phonenumbers.GetNumberType(num)]
		if got != want {
			t.Errorf("+%s %s: type %d, the library %d", s.cc, s.nat, got, want)
		}
		if (got != phoneTypeUnknown) != phonenumbers.IsValidNumber(num) {
			t.Errorf("+%s %s: type %d, but the library says valid=%v", s.cc, s.nat, got, phonenumbers.IsValidNumber(num))
		}
		if got != phoneTypeUnknown {
			valid++
		}
		if got == phoneTypeMobile || got == phoneTypeFixedLineOrMobile {
			mobile++
		}
	}
	t.Logf("%d samples over %d country codes: %d parsed, %d valid, %d mobile", len(samples), len(phonePlans), parsed, valid, mobile)
	// The samples must exercise every branch, or agreement says little.
	if parsed < len(samples)/2 || valid < 1000 || mobile < 300 {
		t.Errorf("too few samples parsed (%d), valid (%d) or mobile (%d) out of %d", parsed, valid, mobile, len(samples))
	}
}
