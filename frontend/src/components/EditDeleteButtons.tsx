interface Props {
  /** What the buttons act on, for screen readers: "template web", "user ed@example.com". */
  label: string;
  onEdit: () => void;
  onDelete: () => void;
}

/** The Edit and Delete buttons of a table row. */
export function EditDeleteButtons({ label, onEdit, onDelete }: Props) {
  return (
    <>
      <button
        type="button"
        className="button-small button-secondary"
        onClick={onEdit}
        aria-label={`Edit ${label}`}
      >
        Edit
      </button>
      <button
        type="button"
        className="button-small button-danger-outline"
        onClick={onDelete}
        aria-label={`Delete ${label}`}
      >
        Delete
      </button>
    </>
  );
}
