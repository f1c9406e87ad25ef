package native

// HelpCmd is "ikemu help [COMMAND...]": the same text as --help.
type HelpCmd struct {
	Command []string `arg:"" optional:"" help:"The command to describe, e.g. host add."`
}

func (c *HelpCmd) Run(e *env) error {
	// Parsing COMMAND --help prints the help and ends through kong's exit.
	_, err := e.parser.Parse(append(append([]string{}, c.Command...), "--help"))
	return err
}
