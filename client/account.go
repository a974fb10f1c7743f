package client

import (
	"context"

	"github.com/tandem-pm/tandem"
)

// AddMeasurement records a measurement of m.KeyResultID and fills in its ID.
func (c *Client) AddMeasurement(ctx context.Context, ws string, m *tandem.Measurement) error {
	return create(ctx, c, wsPath(ws, "key_results", m.KeyResultID, "measurements"), m)
}

// FindMeasurements lists a key result's measurements by date.
func (c *Client) FindMeasurements(ctx context.Context, ws, keyResultID string) ([]*tandem.Measurement, error) {
	ms, _, err := list[tandem.Measurement](ctx, c, wsPath(ws, "key_results", keyResultID, "measurements"), nil)
	return ms, err
}

// FindActivity returns one page of the audit log, newest first.
func (c *Client) FindActivity(ctx context.Context, ws string, f tandem.ActivityFilter) ([]*tandem.Activity, string, error) {
	return list[tandem.Activity](ctx, c, wsPath(ws, "activity"), f)
}

// Workspaces lists the caller's workspaces.
func (c *Client) Workspaces(ctx context.Context) ([]*tandem.Workspace, error) {
	wss, _, err := list[tandem.Workspace](ctx, c, "/api/v1/workspaces", nil)
	return wss, err
}

// FindWorkspace finds one of the caller's workspaces by ID or slug.
func (c *Client) FindWorkspace(ctx context.Context, idOrSlug string) (*tandem.Workspace, error) {
	return get[tandem.Workspace](ctx, c, wsPath(idOrSlug))
}

// CreateWorkspace creates a workspace with the caller as its owner.
func (c *Client) CreateWorkspace(ctx context.Context, ws *tandem.Workspace) error {
	_, err := c.Do(ctx, "POST", "/api/v1/workspaces", nil, map[string]any{"slug": ws.Slug, "name": ws.Name}, ws)
	return err
}

// FindMembers lists a workspace's members.
func (c *Client) FindMembers(ctx context.Context, ws string) ([]*tandem.Member, error) {
	ms, _, err := list[tandem.Member](ctx, c, wsPath(ws, "members"), nil)
	return ms, err
}

// FindMember returns userID's membership; tandem.ENotFound when they are not a member.
func (c *Client) FindMember(ctx context.Context, ws, userID string) (*tandem.Member, error) {
	return get[tandem.Member](ctx, c, wsPath(ws, "members", userID))
}

// SetMember adds userID to the workspace or changes their role (admins and owners).
func (c *Client) SetMember(ctx context.Context, ws, userID string, role tandem.Role) (*tandem.Member, error) {
	out := new(tandem.Member)
	if _, err := c.Do(ctx, "PUT", wsPath(ws, "members", userID), nil, map[string]any{"role": role}, out); err != nil {
		return nil, err
	}
	return out, nil
}

// RemoveMember removes userID from the workspace.
func (c *Client) RemoveMember(ctx context.Context, ws, userID string) error {
	return del(ctx, c, wsPath(ws, "members", userID))
}

// FindTokens lists the caller's API tokens.
func (c *Client) FindTokens(ctx context.Context) ([]*tandem.Token, error) {
	ts, _, err := list[tandem.Token](ctx, c, "/api/v1/tokens", nil)
	return ts, err
}

// CreateToken makes an API token for the caller and returns its secret,
// which the server never shows again.
func (c *Client) CreateToken(ctx context.Context, name string) (*tandem.Token, string, error) {
	var out struct {
		tandem.Token
		Secret string `json:"secret"`
	}
	if _, err := c.Do(ctx, "POST", "/api/v1/tokens", nil, map[string]any{"name": name}, &out); err != nil {
		return nil, "", err
	}
	return &out.Token, out.Secret, nil
}

// RevokeToken revokes one of the caller's tokens.
func (c *Client) RevokeToken(ctx context.Context, id string) error {
	return del(ctx, c, "/api/v1/tokens/"+id)
}
