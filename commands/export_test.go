package commands

import (
	"errors"

	"github.com/tours-metropole/actionbot/commands/planword"
)

// WordProblem says which refusal of the plan's vocabulary a command's
// error is, for the test that feeds the same words to the command parser
// and to the spreadsheet; NoProblem when err is none of them.
func WordProblem(err error) planword.Problem {
	var ue *UserError
	if !errors.As(err, &ue) {
		return planword.NoProblem
	}
	return map[msg]planword.Problem{
		msgUnknownStatus: planword.NotStatus, msgBadProgress: planword.NotNumber, msgProgressRange: planword.OutOfRange,
		msgBadDate: planword.NotDate, msgNoSuchDay: planword.NoSuchDay, msgImplausibleYear: planword.ImplausibleYear,
		msgBadAxis: planword.NotAxis, msgBadProgramme: planword.NotProgramme, msgUnknownGroup: planword.UnknownGroup,
		msgBadName: planword.NotAName, msgNameTooLong: planword.NameTooLong, msgAddressOnly: planword.AddressOnly,
	}[ue.Key]
}
