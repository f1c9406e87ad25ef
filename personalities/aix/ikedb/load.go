package ikedb

import (
	"errors"
	"sort"
	"strings"

	"github.com/ikemu/ikemu/personalities/aix/vpnxml"
	"github.com/ikemu/ikemu/pkg/engine"
	"github.com/ikemu/ikemu/pkg/heappacer"
	"github.com/ikemu/ikemu/pkg/lab"
)

// How ikedb -p loads a document of any size in bounded memory: it reads
// the document once to check it (vpnxml.DecodeEach into a Checker, the
// swap of -s and the clashes with the database), keeping names and open
// references only, and changes nothing when it finds a problem. What
// that reading parsed goes to a defSpool as it is read; the writing
// reads it back for each stage of the put (the rows, the phase 1
// policies and keys, the phase 2 policies), each stage in transactions
// of at most loadBatch definitions, in the order put's single
// transaction does the same work. All of it runs in one lab.Series, so
// no other command sees or changes the database in between.

// loadBatch is how many definitions one transaction of a load takes:
// a write transaction holds every node it dirtied until it commits
// (about 3 KB a triple), so a batch stays a few MiB.
const loadBatch = 2048

// load is ikedb -p of the document src.
func (c *command) load(src *source, opts vpnxml.DecodeOptions) error {
	w := c.lab.Series()
	defer w.Close()
	// Each batch allocates many times what it keeps (the XML tokens,
	// bbolt's copies of every node it dirtied): at the store's GOGC 50
	// the collector ran hundreds of times in a load of 10,000 tunnels, a
	// third of its CPU. At twice the live heap a load of 100,000 tunnels
	// (20 to 30 MiB live) still spent a quarter of its CPU collecting; at
	// three times it peaks at about 105 MiB.
	pacer := heappacer.Start(c.p.Getenv, 48<<20, 3, 8<<20)
	defer pacer.Stop()
	defs, err := newDefSpool()
	if err != nil {
		return err
	}
	defer defs.Close()
	l := &loader{c: c, w: w, pacer: pacer, src: src, defs: defs, opts: opts, replaced: map[defRef]bool{}}
	if err := l.check(); err != nil {
		return err
	}
	return l.write()
}

// loader is one ikedb -p past its command line.
type loader struct {
	c     *command
	w     *lab.Writer
	pacer *heappacer.Pacer
	src   *source
	defs  *defSpool // what the check read, -s applied, for the writing
	opts  vpnxml.DecodeOptions

	resumes      bool            // it runs again a load of the same file that was interrupted
	marks        bool            // it records itself as in progress (no other load is)
	beginPending bool            // the record is still to be written, with the first batch
	rewires      bool            // a definition stored tunnels are built from is replaced
	rekeys       bool            // a preshared key is replaced
	forward      bool            // a definition refers to one further on
	replaced     map[defRef]bool // the keys and rewiring definitions the rows replaced
	inDoc        map[defRef]bool // the document's tunnels, kept when rewires
	touched      map[string]bool // the phase 1 labels whose phase 2 fields may change
}

// update runs fn on the host's database in the series' next transaction.
// The first one records the load as in progress (when it marks): a
// load whose first batch fails changes nothing.
func (l *loader) update(fn func(*database) error) error {
	err := l.w.Update(func(tx *engine.Tx) error {
		if l.beginPending {
			if err := lab.BeginLoad(tx, l.loadRecord()); err != nil {
				return err
			}
		}
		// What earlier batches wrote stays in the page cache, not here.
		tx.Store().ReleaseMapped()
		h, err := tx.Host(l.c.lab.HostName)
		if err != nil {
			return err
		}
		return fn(openDatabase(h))
	})
	if err == nil {
		l.beginPending = false
	}
	l.pacer.Adjust()
	return err
}

// check reads the document once and reports every problem put would,
// in the same order, writing nothing.
func (l *loader) check() error {
	err := l.w.Update(func(tx *engine.Tx) error {
		if err := l.noteInterrupted(tx); err != nil {
			return err
		}
		h, err := tx.Host(l.c.lab.HostName)
		if err != nil {
			return err
		}
		if err := l.checkIn(openDatabase(h)); err != nil {
			return err
		}
		return errChecked // it wrote nothing: nothing to commit
	})
	if errors.Is(err, errChecked) {
		return nil
	}
	return err
}

// errChecked rolls back the transaction of a check that passed.
var errChecked = errors.New("checked")

// force is -F, or a run again of an interrupted load of the same file,
// whose definitions it replaces.
func (l *loader) force() bool { return l.c.o.force || l.resumes }

// loadRecord is the record of this load in progress.
func (l *loader) loadRecord() lab.Load {
	cmd := "ikedb -p"
	if l.c.o.force {
		cmd += "F"
	}
	if l.c.o.swap {
		cmd += "s"
	}
	if l.c.o.entityFile != "" {
		cmd += " -e " + l.c.o.entityFile
	}
	if len(l.c.o.operands) == 1 {
		cmd += " " + l.c.o.operands[0]
	} else if l.c.o.force {
		cmd += " < FILE"
	} else {
		// Standard input is told from another only with -F, which
		// replaces what the interrupted load stored.
		cmd = strings.Replace(cmd, "-p", "-pF", 1) + " < FILE"
	}
	return lab.Load{Host: l.c.lab.HostName, Command: cmd, File: l.src.name}
}

// noteInterrupted decides what to do about an interrupted load: a load
// of the same file (named the same; standard input again only with -F)
// finishes it, replacing what it stored; any other goes ahead and
// leaves its record.
func (l *loader) noteInterrupted(tx *engine.Tx) error {
	ld, found, err := lab.LoadInProgress(tx)
	if err != nil {
		return err
	}
	l.marks = !found
	l.resumes = found && ld.Host == l.c.lab.HostName && ld.File == l.src.name &&
		(len(l.c.o.operands) == 1 || l.c.o.force)
	l.marks = l.marks || l.resumes
	if found && !l.resumes {
		writeLines(l.c.p.Stderr, (&lab.InterruptedLoadError{Load: ld}).Error())
	}
	return nil
}

func (l *loader) checkIn(db *database) error {
	checker := vpnxml.NewChecker(db)
	var swapIKE, swapIPSec []*vpnxml.Error
	clashes := make([][]*vpnxml.Error, len(kinds()))
	read := 0
	root, err := l.src.each(l.opts, func(part *vpnxml.Document) error {
		if l.c.o.swap {
			if errs := vpnxml.SwapIdentities(part); len(part.IKETunnels) > 0 {
				swapIKE = append(swapIKE, errs...)
			} else {
				swapIPSec = append(swapIPSec, errs...)
			}
		}
		checker.Add(part)
		if err := l.defs.add(part); err != nil {
			return err
		}
		if read++; read%loadBatch == 0 {
			l.pacer.Adjust() // what the checker keeps grows with the document
		}
		for _, d := range docDefs(part) {
			if e := db.clash(&d, l.force()); e != nil {
				k := kindIndex(d.ref.kind)
				clashes[k] = append(clashes[k], e)
			}
			if l.force() && (rewiring(d.ref.kind) || d.ref.kind == kindPresharedKey) &&
				db.vs.Has(d.ref.kind, d.ref.name) {
				l.rewires = l.rewires || rewiring(d.ref.kind)
				l.rekeys = l.rekeys || d.ref.kind == kindPresharedKey
			}
		}
		return nil
	})
	if err != nil {
		return fail("%s", err)
	}
	if errs := append(swapIKE, swapIPSec...); len(errs) > 0 {
		return xmlFailure(errs)
	}
	checker.Root(root)
	errs := checker.Errors()
	l.forward = checker.Forward()
	for _, c := range clashes {
		errs = append(errs, c...)
	}
	if len(errs) == 0 {
		return nil
	}
	sort.SliceStable(errs, func(i, j int) bool {
		if errs[i].Line != errs[j].Line {
			return errs[i].Line < errs[j].Line
		}
		return errs[i].EntityLine < errs[j].EntityLine
	})
	return xmlFailure(errs)
}

// rewiring reports whether stored tunnels are built from definitions of
// a kind, so that replacing one changes their policies.
func rewiring(kind string) bool {
	switch kind {
	case kindIKEProtection, kindIKEGroup, kindIPSecProtection, kindIPSecProposal:
		return true
	}
	return false
}

// write does what put's transaction does, stage by stage in batches.
// A document that refers only backwards and replaces no key and nothing
// stored tunnels are built from is read back once: each batch stores its
// rows, then what is built from them. Any other is read back twice: all
// the rows first, as put does, then the policies and keys.
func (l *loader) write() error {
	l.beginPending = l.marks
	if err := l.writeAll(); err != nil {
		return err
	}
	if !l.marks || l.beginPending {
		return nil
	}
	return l.w.Update(lab.EndLoad)
}

func (l *loader) writeAll() error {
	l.touched = map[string]bool{}
	if !l.forward && !l.rewires && !l.rekeys {
		err := l.inBatches(func(db *database, b *vpnxml.Document) error {
			if err := l.storeRows(db, b); err != nil {
				return err
			}
			return l.putPolicies(db, b)
		})
		if err != nil {
			return err
		}
		return l.refreshP2Fields()
	}
	if l.rewires {
		l.inDoc = map[defRef]bool{}
	}
	if err := l.inBatches(l.storeRows); err != nil {
		return err
	}
	var dep1 []*vpnxml.IKETunnel
	var dep2 []*vpnxml.IPSecTunnel
	err := l.update(func(db *database) error {
		var err error
		if dep1, dep2, err = db.dependents(l.inDoc, l.replaced); err != nil {
			return err
		}
		return db.dropEngineKeys(staleKeys(l.replaced))
	})
	if err != nil {
		return err
	}
	// Phase 1 and phase 2 policies are apart (tables, tunnel numbers):
	// one reading puts both, each in the document's order.
	if err := l.inBatches(l.putPolicies); err != nil {
		return err
	}
	err = l.update(func(db *database) error {
		if err := l.putPhase1(db, dep1); err != nil {
			return err
		}
		return l.putPhase2(db, dep2)
	})
	if err != nil {
		return err
	}
	return l.refreshP2Fields()
}

// inBatches reads the definitions back and runs fn on each batch of its
// definitions, in a transaction of its own.
func (l *loader) inBatches(fn func(*database, *vpnxml.Document) error) error {
	batch, n := &vpnxml.Document{}, 0
	flush := func() error {
		if n == 0 {
			return nil
		}
		err := l.update(func(db *database) error { return fn(db, batch) })
		batch, n = &vpnxml.Document{}, 0
		return err
	}
	err := l.defs.each(func(part *vpnxml.Document) error {
		n += merge(batch, part)
		if n >= loadBatch {
			return flush()
		}
		return nil
	})
	if err != nil {
		return err
	}
	return flush()
}

// merge appends part's definitions to batch and returns how many.
func merge(batch, part *vpnxml.Document) int {
	batch.IKEProtections = append(batch.IKEProtections, part.IKEProtections...)
	batch.IKEGroups = append(batch.IKEGroups, part.IKEGroups...)
	batch.IKETunnels = append(batch.IKETunnels, part.IKETunnels...)
	batch.PresharedKeys = append(batch.PresharedKeys, part.PresharedKeys...)
	batch.IPSecProposals = append(batch.IPSecProposals, part.IPSecProposals...)
	batch.IPSecProtections = append(batch.IPSecProtections, part.IPSecProtections...)
	batch.IPSecTunnels = append(batch.IPSecTunnels, part.IPSecTunnels...)
	return len(part.IKEProtections) + len(part.IKEGroups) + len(part.IKETunnels) + len(part.PresharedKeys) +
		len(part.IPSecProposals) + len(part.IPSecProtections) + len(part.IPSecTunnels)
}

// storeRows stores a batch's definitions and notes what they replaced.
func (l *loader) storeRows(db *database, b *vpnxml.Document) error {
	defs := docDefs(b)
	if err := attachXML(b, defs); err != nil {
		return err
	}
	replaced, err := db.store(defs)
	if err != nil {
		return err
	}
	for ref := range replaced {
		if ref.kind == kindPresharedKey || rewiring(ref.kind) {
			l.replaced[ref] = true
		}
	}
	if l.inDoc != nil {
		for _, d := range defs {
			if d.ref.kind == kindIKETunnel || d.ref.kind == kindIPSecTunnel {
				l.inDoc[d.ref] = true
			}
		}
	}
	return nil
}

func staleKeys(replaced map[defRef]bool) map[string]bool {
	stale := map[string]bool{}
	for ref := range replaced {
		if ref.kind == kindPresharedKey {
			stale[ref.name] = true
		}
	}
	return stale
}

// putPolicies stores the policies and keys built from a batch's
// definitions, which are stored.
func (l *loader) putPolicies(db *database, b *vpnxml.Document) error {
	if err := l.putPhase1(db, pointers(b.IKETunnels)); err != nil {
		return err
	}
	if err := db.appendKeys(b.PresharedKeys); err != nil {
		return err
	}
	return l.putPhase2(db, pointers(b.IPSecTunnels))
}

// putPhase1 stores the phase 1 policies of tunnels, whose definitions
// (and what they refer to) are stored.
func (l *loader) putPhase1(db *database, tunnels []*vpnxml.IKETunnel) error {
	for _, t := range tunnels {
		l.touched[t.Name] = true
	}
	return db.putPhase1(newResolver(db, nil), tunnels)
}

func (l *loader) putPhase2(db *database, tunnels []*vpnxml.IPSecTunnel) error {
	for _, t := range tunnels {
		l.touched[t.IKETunnelName] = true
	}
	return db.putPhase2(newResolver(db, nil), tunnels)
}

// refreshP2Fields is database.refreshP2Fields of the touched labels,
// their policies rewritten a batch at a time.
func (l *loader) refreshP2Fields() error {
	var first map[string]string
	err := l.update(func(db *database) error {
		var err error
		first, err = db.firstPhase2(l.touched)
		return err
	})
	if err != nil {
		return err
	}
	labels := sortedLabels(l.touched)
	l.touched = nil
	for len(labels) > 0 {
		n := min(len(labels), loadBatch)
		chunk := labels[:n]
		labels = labels[n:]
		if err := l.update(func(db *database) error { return db.rewriteP2Fields(chunk, first) }); err != nil {
			return err
		}
	}
	return nil
}
