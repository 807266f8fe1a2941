/**
 * Table rows that act as links: the title cell holds a real <Link> (Tab reaches it, Enter opens the
 * detail), and a click anywhere else on the row opens it too, except on another link inside the row.
 */
import type { MouseEvent } from 'react';
import { useNavigate } from 'react-router';

export function useRowClick(): (href: string) => (e: MouseEvent<HTMLTableRowElement>) => void {
  const navigate = useNavigate();
  return (href) => (e) => {
    if ((e.target as HTMLElement).closest('a, button, input, select')) return;
    if (window.getSelection()?.toString()) return; // selecting text to copy is not a click
    navigate(href);
  };
}
