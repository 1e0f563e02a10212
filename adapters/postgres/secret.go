package postgres

import (
	"context"
	"crypto/rand"
	"fmt"
)

// receiptSecret returns the database's secret for idempotency receipts,
// making it (32 random bytes) the first time any process asks for it.
// Every domain's store in the schema shares it. It is kept in the
// database, so it goes wherever the receipts go and is erased with them.
func (db *DB) receiptSecret(ctx context.Context) ([]byte, error) {
	db.smu.Lock()
	defer db.smu.Unlock()
	if db.secret != nil {
		return db.secret, nil
	}
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, fmt.Errorf("postgres: make the receipt secret: %w", err)
	}
	if _, err := db.pool.Exec(ctx, `INSERT INTO receipt_secret (id, secret) VALUES (1, $1) ON CONFLICT (id) DO NOTHING`, fresh); err != nil {
		return nil, fmt.Errorf("postgres: receipt secret: %w", err)
	}
	var secret []byte
	if err := db.pool.QueryRow(ctx, `SELECT secret FROM receipt_secret WHERE id = 1`).Scan(&secret); err != nil {
		return nil, fmt.Errorf("postgres: receipt secret: %w", err)
	}
	db.secret = secret
	return secret, nil
}
