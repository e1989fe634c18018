package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// The canvas the bot keeps in a channel is remembered in the settings:
// its ID under canvasKey, and, while its creation is asked of Slack,
// canvasCreatingKey — so that a crash between Slack's answer and the
// record of the ID is recognised afterwards (see bot's sender).
const (
	canvasKey         = "canvas:"
	canvasCreatingKey = "canvas-creating:"
)

// CanvasID returns the ID of the canvas the bot keeps in channel, "" when
// it has none yet.
func (s *Store) CanvasID(ctx context.Context, channel string) (string, error) {
	var st setting
	err := s.db.WithContext(ctx).Where("key = ?", canvasKey+channel).Take(&st).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("canvas of %s: %w", channel, err)
	}
	return st.Value, nil
}

// SetCanvasID records id as the canvas of channel ("" forgets it) and
// forgets that its creation was under way, in one transaction.
func (s *Store) SetCanvasID(ctx context.Context, channel, id string) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("key IN ?", []string{canvasKey + channel, canvasCreatingKey + channel}).Delete(&setting{}).Error; err != nil {
			return fmt.Errorf("canvas of %s: %w", channel, err)
		}
		if id == "" {
			return nil
		}
		return s.setSetting(tx, canvasKey+channel, id)
	})
}

// MarkCanvasCreating records that the bot is about to ask Slack for the
// canvas of channel; SetCanvasID ends it.
func (s *Store) MarkCanvasCreating(ctx context.Context, channel string) error {
	return s.setSetting(s.db.WithContext(ctx), canvasCreatingKey+channel, s.Now().UTC().Format("2006-01-02T15:04:05Z"))
}

// CanvasCreating reports whether a creation of channel's canvas was asked
// of Slack and its ID never recorded.
func (s *Store) CanvasCreating(ctx context.Context, channel string) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&setting{}).Where("key = ?", canvasCreatingKey+channel).Count(&n).Error
	return n > 0, err
}

// LatestDelivery returns the delivery last enqueued whose key begins with
// prefix, or ErrNotFound.
func (s *Store) LatestDelivery(ctx context.Context, prefix string) (Delivery, error) {
	var d Delivery
	cond, vars := keyPrefixed(prefix)
	err := s.db.WithContext(ctx).Where(cond, vars...).Order("id DESC").Take(&d).Error
	return d, notFound(err, "delivery "+strings.TrimSpace(prefix))
}

// PlanMark returns a mark of the plan's state that changes with every
// journaled change (notes, decisions and undos included) and every
// meeting scheduled, moved or canceled: a few index look-ups, so that a
// caller can tell, every minute, whether anything it shows may have
// changed without reading the plan.
func (s *Store) PlanMark(ctx context.Context) (string, error) {
	db := s.db.WithContext(ctx)
	var last struct{ ID int64 }
	if err := db.Model(&JournalEntry{}).Select("COALESCE(MAX(id), 0) AS id").Scan(&last).Error; err != nil {
		return "", fmt.Errorf("plan mark: %w", err)
	}
	var ms []Meeting
	if err := db.Select("id", "at", "place").Where("canceled = ?", false).Order("id").Find(&ms).Error; err != nil {
		return "", fmt.Errorf("plan mark: %w", err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "j%d", last.ID)
	for _, m := range ms {
		fmt.Fprintf(&b, ";m%d@%d@%s", m.ID, m.At.Unix(), m.Place)
	}
	return b.String(), nil
}
