package commands

import "fmt"

// Code says what kind of mistake a UserError is.
type Code string

// The codes of user errors.
const (
	EInvalid   Code = "invalid"
	ENotFound  Code = "not_found"
	EForbidden Code = "forbidden"
)

// UserError is a mistake the user made: it carries a catalogue key and its
// arguments so that it can be said in the user's language, and the
// sub-command it is about, whose usage is shown with it.
type UserError struct {
	Code Code
	Key  msg
	Args []any
	Spec *spec // when set, the answer ends with this sub-command's usage
}

func (e *UserError) Error() string {
	return fmt.Sprintf("%s: %s", e.Code, fr.format(e.Key, e.Args...))
}

func invalid(key msg, args ...any) *UserError {
	return &UserError{Code: EInvalid, Key: key, Args: args}
}

func (e *UserError) with(s *spec) *UserError {
	e.Spec = s
	return e
}
