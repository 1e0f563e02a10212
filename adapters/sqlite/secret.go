package sqlite

import (
	"context"
	"crypto/rand"
	"fmt"
)

// receiptSecret returns the database's secret for idempotency receipts,
// making it (32 random bytes) the first time it is asked for. Every
// domain's store in the database shares it. It is kept in the database, so
// it goes wherever the receipts go and is erased with them.
func (db *DB) receiptSecret(ctx context.Context) ([]byte, error) {
	db.smu.Lock()
	defer db.smu.Unlock()
	if db.secret != nil {
		return db.secret, nil
	}
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, fmt.Errorf("sqlite: make the receipt secret: %w", err)
	}
	var secret []byte
	err := db.write(ctx, func(tx *writeTx) error {
		if _, err := tx.exec(`INSERT INTO receipt_secret (id, secret) VALUES (1, ?) ON CONFLICT (id) DO NOTHING`, fresh); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT secret FROM receipt_secret WHERE id = 1`).Scan(&secret)
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: receipt secret: %w", err)
	}
	db.secret = secret
	return secret, nil
}
