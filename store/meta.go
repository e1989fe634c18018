package store

import (
	"context"
	"errors"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// setting is one key/value of the store's own metadata.
type setting struct {
	Key   string `gorm:"primaryKey"`
	Value string
}

const keySource = "plan_source"

// Plan sources, as recorded by SeedDemo and real imports.
const (
	SourceDemo   = "demo"
	SourceImport = "import"
)

func (s *Store) setSetting(db *gorm.DB, key, value string) error {
	return db.Clauses(clause.OnConflict{UpdateAll: true}).Create(&setting{Key: key, Value: value}).Error
}

func (s *Store) isDemo(ctx context.Context) (bool, error) {
	var st setting
	err := s.db.WithContext(ctx).Where("key = ?", keySource).Take(&st).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return false, nil
	}
	return st.Value == SourceDemo, err
}
