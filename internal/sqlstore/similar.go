package sqlstore

import (
	"context"
	"fmt"
	"strconv"
)

// SimilarityVersion summarises what a workspace's similarity index is built
// from: the number and the latest change of its feedback and of its
// features and epics. Any write to them (a delete too) changes it; it costs
// one query over the (workspace_id, updated_at) indexes of migration 0006.
func (s *Store) SimilarityVersion(ctx context.Context, ws string) (string, error) {
	var n1, n2 int64
	var m1, m2 string
	err := s.reader(ctx).queryRow(ctx, `SELECT
		(SELECT count(*) FROM feedback WHERE workspace_id = $1),
		(SELECT coalesce(cast(max(updated_at) AS text), '') FROM feedback WHERE workspace_id = $1),
		(SELECT count(*) FROM items WHERE workspace_id = $1 AND kind = 'feature')
			+ (SELECT count(*) FROM items WHERE workspace_id = $1 AND kind = 'epic'),
		(SELECT coalesce(cast(max(updated_at) AS text), '') FROM items WHERE workspace_id = $1 AND kind = 'feature')
			|| '/' || (SELECT coalesce(cast(max(updated_at) AS text), '') FROM items WHERE workspace_id = $1 AND kind = 'epic')`,
		ws).Scan(&n1, &m1, &n2, &m2)
	if err != nil {
		return "", fmt.Errorf("similarity version: %w", err)
	}
	return strconv.FormatInt(n1, 10) + "|" + m1 + "|" + strconv.FormatInt(n2, 10) + "|" + m2, nil
}
